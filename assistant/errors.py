"""One small error tree, raised by the core and translated once at each edge."""


class AssistantError(Exception):
    """Base of every error the product raises on purpose."""


class IngestError(AssistantError):
    """A file could not be turned into chunks (broken, empty, encrypted, unsupported)."""


class NotFound(AssistantError):
    """A document, page or chunk that was asked for does not exist."""


class BackendUnavailable(AssistantError):
    """A model or a store cannot be loaded or reached; the message says how to fix it."""


class EmbeddingMismatch(AssistantError):
    """The index was built with another embedding model than the one configured."""


class InvalidRequest(AssistantError):
    """A request is well-formed but asks for something impossible."""


class NotConfigured(AssistantError):
    """A part of the product was asked to start without the settings it needs; the message names them."""
