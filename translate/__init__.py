"""Offline English → Spanish localisation of documents through gettext catalogues."""

__version__ = "0.1.0"
