"""The commands a writer or publisher runs: ``tasks.py`` parses each task's options and calls
one function here.

Tools, not plugins: Pelican never loads these modules, and no plugin imports them. They build
with Pelican and use the plugins' libraries (the writer's check, the handouts' printing).
"""
