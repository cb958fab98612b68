"""`make bench` and `make loadtest`: Factline served by gunicorn, measured from another process."""
