"""Finding cover: a short session asks free, trained volunteers; the first to say yes is in."""
