"""How changes travel: a record of every write, and messages published to the areas that react."""
