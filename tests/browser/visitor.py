"""A visitor driving a page with the mouse and the on-screen fields, or with the keyboard alone.

Journeys are written once against this and run both ways. With the keyboard the visitor reaches every control by
pressing Tab from wherever focus is (never by clicking or focusing it from script), checks at every stop that the
focused element shows a focus indicator, and acts with Enter (links, buttons) and Space (checkboxes), typing into
fields with the keys.
"""

from playwright.sync_api import expect

# Enough stops to cross the longest page (the action page: header, navigation, text, partners, join form, footer).
MAX_TAB_STOPS = 120

# What the focused element looks like: a visible box and a drawn indicator (outline or box shadow).
FOCUS_STATE = """
(target) => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return {
        reached: element === target,
        left: element === document.body,
        indicator: outline || style.boxShadow !== "none",
        visible: box.width > 0 && box.height > 0,
        html: element.outerHTML.slice(0, 200),
    };
}
"""


class Visitor:
    def __init__(self, page, keyboard):
        self.page = page
        self.keyboard = keyboard

    def press(self, locator):
        """Follows a link or presses a button."""
        if self.keyboard:
            self.tab_to(locator)
            self.page.keyboard.press("Enter")
        else:
            locator.click()

    def tick(self, checkbox, checked=True):
        """Ticks the checkbox (or, with checked=False, clears it: it must be ticked now)."""
        if self.keyboard:
            self.tab_to(checkbox)
            self.page.keyboard.press("Space")
            expect(checkbox).to_be_checked(checked=checked)
        else:
            checkbox.set_checked(checked)

    def type_into(self, field, text):
        if self.keyboard:
            self.tab_to(field)
            self.page.keyboard.type(text)
            expect(field).to_have_value(text)
        else:
            field.fill(text)

    def tab_to(self, locator):
        """Presses Tab until `locator` has focus; every element on the way must show that it has focus."""
        target = locator.element_handle()
        passed = []
        for _ in range(MAX_TAB_STOPS):
            self.page.keyboard.press("Tab")
            state = self.page.evaluate(FOCUS_STATE, target)
            assert not state["left"], f"Tab left the page before reaching {locator}; passed: {passed}"
            assert state["visible"] and state["indicator"], f"Focus is not visible on {state['html']!r}"
            if state["reached"]:
                return
            passed.append(state["html"][:60])
        raise AssertionError(f"{MAX_TAB_STOPS} presses of Tab never reached {locator}; passed: {passed}")
