"""One module per department source; each turns a chunk into a `Table` of export records."""
