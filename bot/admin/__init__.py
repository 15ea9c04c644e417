"""Admin tools: hot reload, knowledge upload and rollback, unanswered questions, statistics."""

from .texts import AdminTexts, admin_texts

__all__ = ["AdminTexts", "admin_texts"]
