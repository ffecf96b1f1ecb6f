"""What visitors send in through the site's forms: their addresses, the forms' common parts, the rate limits."""
