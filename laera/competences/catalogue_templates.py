"""Læra's shipped competence catalogues, which an organisation copies and then makes its own.

A template holds areas of competences with a one-sentence description, the NKR category (knowledge,
skills or general competence) and, where it means something, an NKR level. Its texts are translated like
the rest of Læra; copying a template renders them once, in the language the organisation chooses, and
from then on the catalogue is the organisation's own text. Requirements are not part of a template:
every office sets its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from laera.core.nkr import Category

KNOWLEDGE = Category.KNOWLEDGE.value
SKILLS = Category.SKILLS.value
GENERAL = Category.GENERAL_COMPETENCE.value


@dataclass(frozen=True)
class TemplateCompetence:
    key: str  # stable slug, never translated
    name: Promise
    description: Promise
    category: str
    nkr_level: str = ""


@dataclass(frozen=True)
class TemplateArea:
    name: Promise
    description: Promise
    competences: tuple[TemplateCompetence, ...]


@dataclass(frozen=True)
class CatalogueTemplate:
    key: str
    name: Promise
    description: Promise
    areas: tuple[TemplateArea, ...]

    @property
    def competence_count(self) -> int:
        return sum(len(area.competences) for area in self.areas)


NAV_OFFICE = CatalogueTemplate(
    key="nav_office",
    name=_("Competences in a NAV office"),
    description=_(
        "The competences a NAV office builds on: work-oriented follow-up methods, knowledge of the labour "
        "market and the law, good quality in the services, user involvement, digital skills and learning "
        "from each other."
    ),
    areas=(
        TemplateArea(
            name=_("Supported Employment"),
            description=_(
                "Helping people into ordinary paid work with support in the workplace, following the SE "
                "method."
            ),
            competences=(
                TemplateCompetence(
                    key="se_principles",
                    name=_("The eight principles of Supported Employment"),
                    description=_(
                        "Knows the eight principles of the SE method and can explain what they mean for how "
                        "the office works with a job seeker."
                    ),
                    category=KNOWLEDGE,
                    nkr_level="6",
                ),
                TemplateCompetence(
                    key="se_job_development",
                    name=_("Job development with employers"),
                    description=_(
                        "Finds and shapes jobs together with employers, matched to the job seeker's wishes "
                        "and strengths."
                    ),
                    category=SKILLS,
                    nkr_level="6",
                ),
                TemplateCompetence(
                    key="se_workplace_follow_up",
                    name=_("Follow-up in the workplace"),
                    description=_(
                        "Follows up the employee and the employer in the workplace for as long as they need "
                        "it, so that the job lasts."
                    ),
                    category=SKILLS,
                    nkr_level="6",
                ),
                TemplateCompetence(
                    key="se_career_profile",
                    name=_("Career profile and job search plan"),
                    description=_(
                        "Maps the job seeker's interests, experience and resources with them and turns it "
                        "into a plan for the job search."
                    ),
                    category=SKILLS,
                ),
            ),
        ),
        TemplateArea(
            name=_("Conversations and guidance"),
            description=_("Conversations that help users find their own motivation and way forward."),
            competences=(
                TemplateCompetence(
                    key="mi_basics",
                    name=_("Motivational interviewing (MI)"),
                    description=_(
                        "Uses open questions, affirmations, reflections and summaries to strengthen the "
                        "user's own motivation for change."
                    ),
                    category=SKILLS,
                    nkr_level="6",
                ),
                TemplateCompetence(
                    key="mi_research",
                    name=_("Knowledge of the research on MI"),
                    description=_(
                        "Knows what research says about when motivational interviewing works and why."
                    ),
                    category=KNOWLEDGE,
                    nkr_level="6",
                ),
                TemplateCompetence(
                    key="work_ability_assessment",
                    name=_("Assessing the need for help"),
                    description=_(
                        "Assesses the user's work ability and need for help together with the user, and "
                        "documents it so that others can follow it."
                    ),
                    category=SKILLS,
                    nkr_level="6",
                ),
                TemplateCompetence(
                    key="difficult_conversations",
                    name=_("Difficult conversations"),
                    description=_(
                        "Handles conversations marked by conflict, strong feelings or threats calmly and "
                        "safely."
                    ),
                    category=GENERAL,
                ),
            ),
        ),
        TemplateArea(
            name=_("The labour market"),
            description=_("Knowing the local labour market and working closely with employers."),
            competences=(
                TemplateCompetence(
                    key="local_labour_market",
                    name=_("The local labour market"),
                    description=_(
                        "Knows the main employers, industries and needs for labour in the area the office "
                        "serves."
                    ),
                    category=KNOWLEDGE,
                    nkr_level="5.2",
                ),
                TemplateCompetence(
                    key="labour_market_measures",
                    name=_("Labour-market measures"),
                    description=_(
                        "Knows the labour-market measures (tiltak), who they are for, and chooses the right "
                        "one with the user."
                    ),
                    category=KNOWLEDGE,
                    nkr_level="6",
                ),
                TemplateCompetence(
                    key="employer_cooperation",
                    name=_("Cooperation with employers"),
                    description=_(
                        "Builds lasting relationships with employers and offers them the office's help to "
                        "recruit and include."
                    ),
                    category=SKILLS,
                    nkr_level="6",
                ),
            ),
        ),
        TemplateArea(
            name=_("The social services act"),
            description=_("Working by the Act on social services in NAV and its duties to the individual."),
            competences=(
                TemplateCompetence(
                    key="economic_assistance",
                    name=_("Economic assistance"),
                    description=_(
                        "Assesses applications for economic assistance by the act and writes decisions that "
                        "the user can understand."
                    ),
                    category=KNOWLEDGE,
                    nkr_level="6",
                ),
                TemplateCompetence(
                    key="individual_plan",
                    name=_("Individual plan"),
                    description=_(
                        "Knows the right to an individual plan and coordinates the work on it with the user "
                        "and the other services."
                    ),
                    category=SKILLS,
                    nkr_level="6",
                ),
                TemplateCompetence(
                    key="housing",
                    name=_("Housing and temporary accommodation"),
                    description=_(
                        "Helps users find and keep a home, and knows the office's duty to find temporary "
                        "accommodation."
                    ),
                    category=KNOWLEDGE,
                    nkr_level="6",
                ),
                TemplateCompetence(
                    key="financial_advice",
                    name=_("Financial advice"),
                    description=_(
                        "Gives advice on personal finances and debt, and knows when to refer to debt "
                        "counselling."
                    ),
                    category=SKILLS,
                ),
            ),
        ),
        TemplateArea(
            name=_("Quality and user involvement"),
            description=_(
                "Good quality in the services by the national quality strategy, with the users taking part."
            ),
            competences=(
                TemplateCompetence(
                    key="quality_strategy",
                    name=_("The six marks of good quality"),
                    description=_(
                        "Knows the national quality strategy's six marks of good services: effective, safe, "
                        "user-involving, coordinated, using resources well, and accessible and fairly "
                        "distributed."
                    ),
                    category=KNOWLEDGE,
                    nkr_level="6",
                ),
                TemplateCompetence(
                    key="quality_improvement",
                    name=_("Improving one's own practice"),
                    description=_(
                        "Uses the marks of good quality to look at the team's own practice and agree on "
                        "improvements."
                    ),
                    category=GENERAL,
                    nkr_level="6",
                ),
                TemplateCompetence(
                    key="user_involvement",
                    name=_("User involvement"),
                    description=_(
                        "Lets the user take part in decisions about their own case, and uses the user "
                        "council's advice in the office's work."
                    ),
                    category=GENERAL,
                    nkr_level="6",
                ),
            ),
        ),
        TemplateArea(
            name=_("Digital skills"),
            description=_("Serving users digitally, and handling cases and personal data safely."),
            competences=(
                TemplateCompetence(
                    key="digital_dialogue",
                    name=_("Digital dialogue with users"),
                    description=_(
                        "Follows users up through digital dialogue and activity plans, and helps those who "
                        "find digital services hard."
                    ),
                    category=SKILLS,
                ),
                TemplateCompetence(
                    key="case_systems",
                    name=_("The case-handling systems"),
                    description=_(
                        "Uses the office's case-handling systems correctly and efficiently, from first "
                        "contact to decision."
                    ),
                    category=SKILLS,
                ),
                TemplateCompetence(
                    key="privacy",
                    name=_("Privacy and the GDPR"),
                    description=_(
                        "Handles personal data by the data protection rules and the duty of confidentiality, "
                        "and knows what to do when something goes wrong."
                    ),
                    category=KNOWLEDGE,
                    nkr_level="5.2",
                ),
            ),
        ),
        TemplateArea(
            name=_("Sick-leave follow-up"),
            description=_("Following up people on sick leave and their employers early and closely."),
            competences=(
                TemplateCompetence(
                    key="sick_leave_rules",
                    name=_("Rules for sick-leave follow-up"),
                    description=_(
                        "Knows the duties of the employee, the employer, the doctor and NAV at each point of "
                        "the sick leave."
                    ),
                    category=KNOWLEDGE,
                    nkr_level="6",
                ),
                TemplateCompetence(
                    key="dialogue_meetings",
                    name=_("Dialogue meetings"),
                    description=_(
                        "Prepares and leads dialogue meetings with the person on sick leave, the employer "
                        "and the doctor."
                    ),
                    category=SKILLS,
                    nkr_level="6",
                ),
            ),
        ),
        TemplateArea(
            name=_("Cooperation and learning"),
            description=_("Working across professions and services, and helping colleagues learn."),
            competences=(
                TemplateCompetence(
                    key="cross_professional",
                    name=_("Cross-professional cooperation"),
                    description=_(
                        "Works with health services, schools and other partners so that the user meets "
                        "coordinated services."
                    ),
                    category=GENERAL,
                    nkr_level="6",
                ),
                TemplateCompetence(
                    key="colleague_guidance",
                    name=_("Guidance of colleagues"),
                    description=_(
                        "Guides new and experienced colleagues, shares what works and gives feedback that "
                        "helps them grow."
                    ),
                    category=GENERAL,
                    nkr_level="6",
                ),
                TemplateCompetence(
                    key="knowledge_sharing",
                    name=_("Sharing knowledge at the learning arenas"),
                    description=_(
                        "Brings what they have learnt back to the team meeting and the office meeting, so "
                        "that others can use it."
                    ),
                    category=GENERAL,
                ),
            ),
        ),
    ),
)

TEMPLATES: dict[str, CatalogueTemplate] = {template.key: template for template in (NAV_OFFICE,)}
