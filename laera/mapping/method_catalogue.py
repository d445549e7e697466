"""Læra's shipped method bank: pedagogical methods and workplace-learning practices (docs/product.md §3.8).

Every organisation starts with these methods. Their texts are shown in the reader's language until the
organisation writes its own. `effort` is how much time, preparation and cost the method asks of the office;
`mode` tells whether the participants take an active part in their own learning ("involves") or mainly
receive knowledge from someone else ("transmits"), which the plan check uses to look for variation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ShippedMethod:
    key: str  # stable slug, never translated
    name: Promise
    description: Promise  # what it is and how it is done at a workplace
    when_it_fits: Promise  # the situation it suits
    effort: str  # "low" | "medium" | "high"
    mode: str  # "involves" | "transmits"


LOW, MEDIUM, HIGH = "low", "medium", "high"
INVOLVES, TRANSMITS = "involves", "transmits"


METHODS: tuple[ShippedMethod, ...] = (
    ShippedMethod(
        key="lecture",
        name=_("Lecture or talk"),
        description=_(
            "Someone who knows the subject well, from the office or from outside, presents it to the "
            "participants. Leave time for questions at the end, and send out the main points afterwards."
        ),
        when_it_fits=_(
            "When many people need the same basic knowledge quickly, for example about new rules or "
            "research in the field."
        ),
        effort=LOW,
        mode=TRANSMITS,
    ),
    ShippedMethod(
        key="e_learning",
        name=_("E-learning module"),
        description=_(
            "Participants work through a short online module at their own pace, on a computer or a phone. "
            "Set a deadline, and talk through the content afterwards at a team meeting if you can."
        ),
        when_it_fits=_(
            "When everyone must know the same rules, routines or systems, and people need to fit the "
            "learning into their own working day."
        ),
        effort=LOW,
        mode=TRANSMITS,
    ),
    ShippedMethod(
        key="course",
        name=_("Course"),
        description=_(
            "One or more participants attend a course held by a college, a central unit or another "
            "provider. Agree beforehand what they should bring back, and when they will share it at a "
            "learning arena."
        ),
        when_it_fits=_("When the office needs knowledge or a skill that nobody in the office has yet."),
        effort=MEDIUM,
        mode=TRANSMITS,
    ),
    ShippedMethod(
        key="further_education",
        name=_("Further education"),
        description=_(
            "An employee takes a study programme with credits at a college or university, usually part-time "
            "over one or two terms alongside work. The assignments are built on cases from their own work, "
            "so that study and practice feed each other."
        ),
        when_it_fits=_(
            "When the office needs deeper competence in an area for years to come, and an employee wants "
            "to study over time."
        ),
        effort=HIGH,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="staff_seminar",
        name=_("Staff seminar"),
        description=_(
            "The whole office spends one or two days together, often away from the office, working on one "
            "or two themes. Mix short talks with group work and discussion, and end by agreeing what you "
            "will do differently."
        ),
        when_it_fits=_(
            "When a theme concerns everyone and needs more time than an ordinary meeting allows, or when "
            "the office is starting something new."
        ),
        effort=HIGH,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="collegial_guidance",
        name=_("Collegial guidance (shoulder to shoulder)"),
        description=_(
            "An experienced colleague sits next to another while they do the work, shows how, answers "
            "questions and gives advice on the spot. Agree on it when the need arises, or book it in the "
            "calendar."
        ),
        when_it_fits=_(
            "When someone needs to learn a task, a system or a way of talking with users in practice, "
            "right where the work is done."
        ),
        effort=LOW,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="guidance_group",
        name=_("Guidance group"),
        description=_(
            "A small, fixed group meets regularly with a trained guide to practise a method together, for "
            "example motivational interviewing (MI). Participants bring their own conversations and cases, "
            "try things out in role play and get feedback."
        ),
        when_it_fits=_(
            "When a method must be practised over time before it sits, and participants need a safe place "
            "to try and fail."
        ),
        effort=MEDIUM,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="reflection_group",
        name=_("Reflection group"),
        description=_(
            "A small group meets at fixed times to talk about experiences from work. One person tells about "
            "a situation, the others ask open questions, and together you look at what can be learned from "
            "it. Someone leads the conversation and makes sure everyone is heard."
        ),
        when_it_fits=_(
            "When the work calls for difficult judgements and much of the competence is unspoken, for "
            "example in care or in following up users."
        ),
        effort=MEDIUM,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="case_discussion",
        name=_("Case discussion"),
        description=_(
            "A team goes through a real, anonymised case together: what happened, what was done and what "
            "the options were. Participants say how they would have handled it, and the team agrees on "
            "good practice."
        ),
        when_it_fits=_(
            "When the team needs a shared understanding of how to handle a type of case, or when practice "
            "varies between colleagues."
        ),
        effort=LOW,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="internal_teaching",
        name=_("Internal teaching"),
        description=_(
            "An employee with special knowledge teaches colleagues, for example at a team meeting or in a "
            "short session at lunchtime. Give the teacher time to prepare, and let the participants ask "
            "questions and try things out."
        ),
        when_it_fits=_("When the knowledge already exists in the office and more people should have it."),
        effort=MEDIUM,
        mode=TRANSMITS,
    ),
    ShippedMethod(
        key="employees_10_minutes",
        name=_("Employees' 10 minutes"),
        description=_(
            "At a regular meeting, one colleague gets ten minutes to share something useful: a case, a "
            "tip, a new rule or something learned on a course. The turn goes round, so that everyone takes "
            "part over time."
        ),
        when_it_fits=_("When you want sharing knowledge to become a habit without adding meetings."),
        effort=LOW,
        mode=TRANSMITS,
    ),
    ShippedMethod(
        key="job_rotation",
        name=_("Job rotation"),
        description=_(
            "Employees swap tasks or teams for an agreed period, for example a few weeks or months. Plan "
            "the handover and training, and end with a conversation about what they learned."
        ),
        when_it_fits=_(
            "When the office needs more people who can cover several tasks, or wants teams to understand "
            "each other's work."
        ),
        effort=HIGH,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="shadowing",
        name=_("Shadowing"),
        description=_(
            "An employee spends one or more days with another team, office or partner, following their work "
            "and asking questions. Agree in advance what to look for, and share what was learned afterwards."
        ),
        when_it_fits=_(
            "When you need to understand how others work, for example where the work passes between teams "
            "or to partners."
        ),
        effort=MEDIUM,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="mentoring",
        name=_("Mentoring"),
        description=_(
            "An experienced person follows a less experienced colleague over a longer period through "
            "regular conversations. The mentee brings their own questions, and the mentor shares "
            "experience and asks questions back."
        ),
        when_it_fits=_(
            "When someone is new in a demanding role, for example as a leader or specialist, and needs "
            "support over time."
        ),
        effort=MEDIUM,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="buddy_scheme",
        name=_("Buddy scheme"),
        description=_(
            "Each new employee gets a named buddy among the colleagues, who shows them around, answers "
            "everyday questions and checks in regularly during the first weeks. Give the buddy time for the "
            "task and a simple checklist."
        ),
        when_it_fits=_(
            "When new employees start, so that they quickly feel at home and learn how things are done."
        ),
        effort=LOW,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="coaching_each_other",
        name=_("Coaching each other"),
        description=_(
            "Colleagues coach each other in pairs or threes: one talks about a challenge, and the other asks "
            "questions that help them find their own solution instead of giving advice. Learn a few simple "
            "coaching questions first."
        ),
        when_it_fits=_(
            "When people need to find their own solutions and take charge of their own development."
        ),
        effort=MEDIUM,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="sparring_feedback",
        name=_("Collegial sparring and feedback"),
        description=_(
            "Colleagues look at each other's work, such as a letter, a plan or a conversation, and give "
            "concrete, friendly feedback. Agree on what to look at and how to give feedback, and take the "
            "comments seriously."
        ),
        when_it_fits=_(
            "When the quality of everyday work should improve, and colleagues trust each other enough to "
            "be open."
        ),
        effort=LOW,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="better_meetings",
        name=_("Better meetings"),
        description=_(
            "Go through the office's meetings: what each one is for, who needs to be there, and how much of "
            "the time goes to information and how much to learning. Move information to e-mail or the "
            "intranet, and use the time saved for discussion, reflection and sharing."
        ),
        when_it_fits=_(
            "When meetings are mostly one-way information, and people feel they take time without giving "
            "much back."
        ),
        effort=MEDIUM,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="idea_workshop",
        name=_("Idea workshop"),
        description=_(
            "A group meets to find and develop ideas for a concrete challenge, for example with sticky notes "
            "on a board. First collect many ideas without judging them, then choose a few and agree who "
            "will try them out."
        ),
        when_it_fits=_(
            "When something should be done in a new way, and you want ideas from those who do the work."
        ),
        effort=MEDIUM,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="learning_with_users",
        name=_("Learning with users"),
        description=_(
            "Involve users, the user council or relatives in the learning, for example by letting them tell "
            "about their experiences or by developing a service together with them. Prepare the meeting "
            "with them, and let them know what came of what they said."
        ),
        when_it_fits=_(
            "When you want to understand how the service is experienced, and improve it together with "
            "those who use it."
        ),
        effort=MEDIUM,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="study_visit",
        name=_("Study visit"),
        description=_(
            "A group visits a workplace, company, partner or another office to see with their own eyes "
            "how the work is done there. Prepare questions in advance, and talk afterwards about what you "
            "can use."
        ),
        when_it_fits=_(
            "When participants need to know a workplace, an industry or a way of working that they have "
            "only heard about."
        ),
        effort=MEDIUM,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="employer_breakfast",
        name=_("Breakfast meeting with employers"),
        description=_(
            "The office invites local employers to an early breakfast meeting with a short talk and time "
            "for conversation. Staff learn about the local labour market, and employers learn what help "
            "the office can give."
        ),
        when_it_fits=_(
            "When staff need better knowledge of local working life and closer contact with employers."
        ),
        effort=MEDIUM,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="research_circle",
        name=_("Research circle"),
        description=_(
            "A small group meets several times over a term with a researcher or college teacher to explore "
            "a question from their own practice. Participants read, try things out between the meetings "
            "and share what they found."
        ),
        when_it_fits=_(
            "When a question from practice needs research-based knowledge, and participants want to go "
            "deeper over time."
        ),
        effort=HIGH,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="transfer_from_courses",
        name=_("Transfer from courses"),
        description=_(
            "Someone who has been on a course, at a conference or in further education shares the most "
            "important points at a learning arena, such as a team meeting. Agree before the course when and "
            "where this will happen, and what the team could use in practice."
        ),
        when_it_fits=_(
            "Every time someone has been on external training, so that the whole team benefits, not only "
            "the one who went."
        ),
        effort=LOW,
        mode=TRANSMITS,
    ),
    ShippedMethod(
        key="everyday_learning",
        name=_("Everyday learning"),
        description=_(
            "Make learning part of the daily work: ask each other for advice, talk through a difficult case "
            "straight after it, and say out loud how and why you do things. Leaders make room for it by "
            "asking what people have learned lately."
        ),
        when_it_fits=_(
            "Always. It is the ground the other methods stand on, and costs little besides attention."
        ),
        effort=LOW,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="learn_from_new_hires",
        name=_("Learning from new employees"),
        description=_(
            "Ask new employees what they notice with fresh eyes and what they bring from earlier jobs or "
            "studies, for example in a conversation after a few weeks or at a team meeting. Take their "
            "questions seriously, even when they challenge old habits."
        ),
        when_it_fits=_("When new employees start, and the office wants to renew its ways of working."),
        effort=LOW,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="reflection_in_meetings",
        name=_("Reflection questions in meetings"),
        description=_(
            "Put a short reflection question on the agenda of an ordinary meeting, for example: What went "
            "well this week, and why? What would we do differently next time? Participants talk in pairs "
            "for a few minutes and then share in the whole group."
        ),
        when_it_fits=_(
            "When you want reflection to become a habit, and there is little time for separate groups."
        ),
        effort=LOW,
        mode=INVOLVES,
    ),
    ShippedMethod(
        key="group_work",
        name=_("Group work"),
        description=_(
            "Participants work in small groups on a task linked to the theme, such as a case, a question or "
            "a draft routine, and present what they came up with to each other. Give a clear task and a "
            "time limit."
        ),
        when_it_fits=_(
            "After a lecture or talk, so that participants put what they heard to use, or when a task "
            "gains from several points of view."
        ),
        effort=LOW,
        mode=INVOLVES,
    ),
)

BY_KEY: dict[str, ShippedMethod] = {m.key: m for m in METHODS}
