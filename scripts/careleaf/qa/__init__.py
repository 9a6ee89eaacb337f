"""Quality assurance of a built site: the field's audit tools, the benchmark, a local web server."""
