"""The model: items and part lines, the catalog and its compiled graph, changes over the
years, scenarios and volumes. No file I/O (tables come from :mod:`mineralcalc.data`), no
numbers on arrays beyond compiling the graph (that is :mod:`mineralcalc.engine`)."""
