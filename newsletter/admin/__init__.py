"""The newsletter's screens in the Wagtail admin, one module per screen or idea, on Wagtail's generic views.

newsletter/wagtail_hooks.py only registers them. Sending, drafting and the queue are the domain modules'
(delivery, drafting, messages): these screens ask them, show what they say and act only on a POST.
"""
