"""`make bench`: how fast the public pages answer with national-scale data (see bench.run)."""
