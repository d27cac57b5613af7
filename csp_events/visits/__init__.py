"""Home visits: arranging a pair of volunteers, lone working, and what each visit did."""
