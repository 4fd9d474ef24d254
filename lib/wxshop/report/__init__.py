"""Reports: the JSON record, views per notebook, charts, findings, HTML, exports, the index, the strings."""
