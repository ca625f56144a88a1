"""The commands a writer or publisher runs, each a module that tasks.py calls."""
