"""Every domain's models, imported so Alembic and ``flask shell`` see all tables."""

from trainer.api.models import ApiToken  # noqa: F401
from trainer.auth.models import (  # noqa: F401
    AuditEntry,
    Institution,
    LoginThrottle,
    PasswordToken,
    ProgrammeSettings,
    User,
)
from trainer.authoring.models import (  # noqa: F401
    CourseDraft,
    CourseVersionSource,
    DraftAsset,
    ModuleDraft,
)
from trainer.certificates.models import Certificate  # noqa: F401
from trainer.cohorts.models import (  # noqa: F401
    AttendanceRecord,
    Cohort,
    CohortInstitution,
    CohortMember,
    CohortTrainer,
    TrainingSession,
)
from trainer.courses.models import (  # noqa: F401
    Course,
    CourseAsset,
    CourseVersion,
    Module,
    ModuleVersion,
)
from trainer.credentials.models import Credential, StatusList  # noqa: F401
from trainer.learning.models import (  # noqa: F401
    AttemptAnswer,
    Enrolment,
    ModuleProgress,
    QuizAttempt,
    SurveyAnswer,
    SurveyResponse,
)
from trainer.notifications.models import NotificationPreference, OutboxMail  # noqa: F401
from trainer.storage.models import StoredFile  # noqa: F401
