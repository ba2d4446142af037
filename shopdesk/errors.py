"""Error kinds: what the user can fix (UserError) versus what the environment broke (StorageError).

Every message is already translated when the error is raised, so the GUI and the CLI show it as is.
"""

from __future__ import annotations


class ShopDeskError(Exception):
    """Base of the errors ShopDesk expects and explains; anything else is a bug."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UserError(ShopDeskError):
    """Bad input or a rule that refuses the action (a wrong phone, an expired coupon)."""


class ValidationError(UserError):
    """One field's value is not acceptable; ``field`` names it so a form can point at it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(UserError):
    """The member, purchase or other record asked for does not exist (any more)."""


class ConflictError(UserError):
    """The action clashes with existing data (a phone already used, a purchase already refunded)."""


class StorageError(ShopDeskError):
    """The database cannot be used as asked: locked, read-only, full disk, corrupt, server gone.

    ``advice`` tells the user what to do about it (close the other copy, free disk space, restore a backup).
    """

    def __init__(self, message: str, advice: str = "") -> None:
        super().__init__(message)
        self.advice = advice

    def __str__(self) -> str:
        return f"{self.message} {self.advice}".strip()
