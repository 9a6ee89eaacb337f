"""Small shared mechanics that belong to no one role."""
