"""Checks on an edition's mail before it is sent (report.preflight): links, images, size, subject and preheader,
text a template language would read, and SpamAssassin's score where it is installed."""
