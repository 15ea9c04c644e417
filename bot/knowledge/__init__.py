"""Knowledge: YAML files under KNOWLEDGE_DIR, loaded into frozen values with the matcher built."""

from .loader import KnowledgeError, Section, diff, load, register, register_vocabulary
from .model import Intent, KnowledgeBase
from .yamlio import Problem, load_yaml

__all__ = ["Intent", "KnowledgeBase", "KnowledgeError", "Problem", "Section", "diff", "load", "load_yaml", "register",
           "register_vocabulary"]
