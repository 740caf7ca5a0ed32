"""The languages trainer speaks, defined once: its interface, its courses, its users' choice.

Plain data with no imports, so the course parser, the configuration of Babel, the forms and
the database constraints all read the same list. Adding a language means adding it here, with
its catalogue under trainer/translations and a revision widening the constraints.
"""

# Each language's name in itself, as the language picker shows it; English first, the
# fallback when nothing else matches.
LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français"}
LANGUAGES = tuple(LANGUAGE_NAMES)
