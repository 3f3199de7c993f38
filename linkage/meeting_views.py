"""Views of this part of 三监联动; importing it registers its navigation entry."""
