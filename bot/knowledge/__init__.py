"""Knowledge: YAML files under KNOWLEDGE_DIR, loaded into frozen values with the matcher built."""

from .loader import KnowledgeError, Section, Vocabulary, diff, load
from .model import Intent, KnowledgeBase
from .yamlio import Problem, load_yaml

__all__ = [
    "Intent",
    "KnowledgeBase",
    "KnowledgeError",
    "Problem",
    "Section",
    "Vocabulary",
    "diff",
    "load",
    "load_yaml",
]
