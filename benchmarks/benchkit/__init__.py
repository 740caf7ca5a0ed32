"""The parts of ``benchmarks/bench.py`` (``make bench``): databases seeded with bench-seed,
gunicorn, logged-in clients, load generators (wrk or Python), the quiz driver, SQL query
counts per page, and the figures' table and JSON."""
