"""Putting «Аналитика» into the main window for those allowed a part of it (managers and the
administrator: everything; the production chief: the workshop part); not on the workshop terminal."""
from __future__ import annotations

from app.services import permissions

KEY, TITLE = "analytics", "Аналитика"


def may_see(user) -> bool:
    """Whether ``user`` may see any part of the analytics."""
    return any(permissions.allowed(user, action) for action in permissions.ANALYTICS)


def _follow_user(window) -> None:
    from ui.analytics.screen import AnalyticsScreen

    allowed = window.workstation != "workshop" and may_see(window.user)
    if allowed and not window.has_screen(KEY):
        window.add_screen(KEY, TITLE, AnalyticsScreen(window))
    elif not allowed and window.has_screen(KEY):
        window.remove_screen(KEY)


def install_analytics(window) -> None:
    """Add the screen now and after every «Сменить пользователя» as the user's rights say."""
    _follow_user(window)
    window.user_changed.connect(lambda _user: _follow_user(window))


def show_analytics(window, show: str | None) -> None:
    """``--show analytics``: bring the screen to the front."""
    if show == KEY and window.has_screen(KEY):
        window.show_screen(KEY)
