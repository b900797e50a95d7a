"""Citizens and their identity documents; NIK, passport and phone handling."""
