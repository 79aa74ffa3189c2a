"""The after-action report: one model (:mod:`.model`, built by :mod:`.build`), four renderers."""
