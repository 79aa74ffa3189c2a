"""What is printed and handed out before an exercise: the join cards (one a seat).

No user interface here: the cards are read from the log and its codes file
(:mod:`engine.handouts.cards`) and rendered as one printable HTML page with inline
SVG QR codes (:mod:`engine.handouts.page`); ``sitroom cards`` writes it.
"""
