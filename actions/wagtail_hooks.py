from wagtail import hooks

from .seed import load_actions

# First of the seed's parts (the others' order is 0): it builds the home page they add their pages under.
hooks.register("load_seed_content", load_actions, order=-1)
