"""Presentation: rich tables and trees, matplotlib figures, csv/json/markdown export, and the
only code that writes files (atomically). Only this layer and the command line import rich
or matplotlib."""
