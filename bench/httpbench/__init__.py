"""The HTTP benchmark's parts (`bench/http` drives them): the servers, the dataset, wrk, pgbench
and the SQLite driver. Standard library only, so that a fresh machine needs nothing from PyPI."""
