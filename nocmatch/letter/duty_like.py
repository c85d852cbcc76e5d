"""Is a sentence a duty? A duty states work done: it has an action verb of work, in any form.

Officers read a duty as a task ("Develops REST APIs", "Code reviews", "Responsible for the
payroll system"); "We enjoyed the picnic." and "She is a valued member of our team." are not
duties, however many words they have.

The verbs are the NOC's own: the verbs that open Statistics Canada's NOC 2021 main duties (the
words before the first object in "Research, design, evaluate, integrate and maintain ...", taken
from all 516 unit groups, kept when they open at least two duties, nouns of sub-occupation
headings removed by hand), plus the verbs of modern software and IT work that the 2021 wording
predates (deploy, refactor, containerize ...) and the words letters use to introduce duties
(responsible, accountable). A word counts in any inflection or nominalisation that
:func:`word_stems` reaches: "develops", "testing", "deployments", "configuration", "integration".
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Verbs opening NOC 2021 main duties (see the module docstring for how they were taken).
NOC_DUTY_VERBS = frozenset("""
accept act adapt add address adjust administer advise affix align allocate alter analyse analyze
answer apply appraise approve arrange assemble assess assign assist attach attend audit authorize
bag balance bend build buy calculate calibrate call care carry catalogue certify change chart check
choreograph classify clean clear climb clip code collaborate collect command communicate compare compile
complete compound compute conceptualize conduct confer configure confirm connect construct consult
contact control cook coordinate correct counsel create cut dance decorate deliver demonstrate describe
design detect determine develop diagnose dig direct disassemble discuss disinfect dismantle dispatch
dispense display distribute document draft draw dress drive edit educate enforce engage ensure enter
erect escort establish estimate evaluate examine execute explain explore extract fabricate fasten feed
file fill finish fit fold follow forecast formulate gather generate glue grade grant grease greet grind
guide handle help hire identify immerse implement improve inform initiate input inspect install
instruct integrate interpret interview investigate issue join keep label lay lead level liaise load
lubricate machine maintain make manage manipulate mark match measure meet mix modify monitor mop mount
negotiate notify observe obtain offer operate optimize order organize overhaul oversee pack package
paint participate patrol peel perform photocopy pick plan plant polish post pour prepare prescribe
present price process produce program promote proofread propose provide purchase quote read rebuild
receive recommend reconcile record recruit refer refuel register regulate rehearse reinforce relay
release reline remove rent repair replace replenish report represent requisition research reserve
resolve respond restore restyle retrieve return review rig rotate route sample sand scan schedule screen
script search secure select sell serve service set sew shampoo shape share ship sign sing solder
solicit sort source specialize splice spray spread start steer sterilize stock store straighten study
style submit suggest summarize supervise support survey sweep synthesize teach tend test thread ticket
trace track train transcribe transfer translate transmit transport trap treat trim troubleshoot unload
unpack update upgrade vaccinate validate verify wash wax weigh weld wire work write
""".split())

#: Verbs of work that the NOC 2021 wording lacks (mostly software, data and IT), and duty introducers.
MODERN_DUTY_VERBS = frozenset("""
architect automate benchmark coach commit containerize customize debug define deploy elicit encrypt
engineer enhance extend facilitate fix harden instrument integrate lead localize merge mentor migrate
model modernize onboard orchestrate own patch precept profile prioritize procure prototype provision query
redesign refactor replicate restructure rewrite run scale send solve spearhead specify streamline triage tune
undertake upgrade visualize
accountable responsible responsibility duty task
""".split())

#: Past forms that no suffix rule reaches.
IRREGULAR_FORMS = {
    "led": "lead", "wrote": "write", "written": "write", "built": "build", "ran": "run", "made": "make",
    "kept": "keep", "drew": "draw", "drawn": "draw", "taught": "teach", "oversaw": "oversee",
    "overseen": "oversee", "sold": "sell", "bought": "buy", "met": "meet", "sent": "send", "fed": "feed",
    "rewrote": "rewrite", "rewritten": "rewrite", "rebuilt": "rebuild", "undertook": "undertake",
    "undertaken": "undertake", "running": "run",
}
#: Endings of inflections and nominalisations, longest first.
SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ions", "ion", "ies", "ied", "es", "ed", "s", "d")
WORD = re.compile(r"[a-z]{2,30}")


def _root(word: str) -> str:
    """A word without its final "e", so that "manage" and "manag(ement)" meet."""
    return word[:-1] if word.endswith("e") else word


@lru_cache(maxsize=1 << 16)
def word_stems(word: str, suffixes: tuple[str, ...] = SUFFIXES, min_stem: int = 3) -> frozenset[str]:
    """The roots a lower-case word may come from: itself and each of ``suffixes`` removed, leaving at
    least ``min_stem`` letters ("testing" → test).

    Cached: a batch asks for the same few thousand words again and again (measured, 0.5 ms a letter).
    """
    stems = {_root(word)}
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            stem = word[: -len(suffix)]
            stems.add(_root(stem + "y") if suffix in ("ies", "ied") else _root(stem))
            if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
                stems.add(stem[:-1])  # a doubled final consonant: planning → plan, setting → set
    return frozenset(stems)


DUTY_ROOTS = frozenset(_root(v) for v in NOC_DUTY_VERBS | MODERN_DUTY_VERBS)


def is_duty_like(text: str) -> bool:
    """Whether ``text`` names an action of work (a verb of :data:`DUTY_ROOTS` in some form)."""
    for word in WORD.findall(text.lower()):
        if word in IRREGULAR_FORMS or not word_stems(word).isdisjoint(DUTY_ROOTS):
            return True
    return False
