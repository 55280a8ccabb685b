"""The staff desk's writes: import jobs (``jobs``) and exports (``exports``)."""
