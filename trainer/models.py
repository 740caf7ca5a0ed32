"""Every domain's models, imported so Alembic and ``flask shell`` see all tables."""

from trainer.auth.models import (  # noqa: F401
    AuditEntry,
    Institution,
    LoginThrottle,
    PasswordToken,
    ProgrammeSettings,
    User,
)
from trainer.courses.models import (  # noqa: F401
    Course,
    CourseAsset,
    CourseVersion,
    Module,
    ModuleVersion,
)
from trainer.storage.models import StoredFile  # noqa: F401
