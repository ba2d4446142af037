"""Small reusable widgets: the search box, money input, forms with inline errors, pickers."""
