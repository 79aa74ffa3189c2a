"""Console state as plain data: what each console shows, folded from server messages."""
