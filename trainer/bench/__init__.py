"""A large, realistic programme for benchmarks: ``flask --app wsgi bench-seed``.

``shape`` decides, purely, how many participants each institution has (a few large, many
small); ``seed`` writes the programme with Core bulk inserts; ``cli`` is the command.
"""
