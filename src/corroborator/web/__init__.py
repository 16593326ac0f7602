"""The web app of ``corroborator serve`` (app.py: routes; views.py: what the pages show)."""
