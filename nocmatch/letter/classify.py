"""Tell a letter's duty sentences from everything else, and find its job title(s).

Each sentence gets one ``kind``. Only ``duty`` sentences are scored; the rest (letterhead,
greeting, employment facts, salary, hours, company history, praise, closing, signature) is kept on
the parsed letter because the completeness check and the EOI scorer read it. The rules are
explicit patterns, in the order below: a sentence takes the first kind whose pattern it matches.

The patterns run in time linear in the sentence, however long its words: no two adjacent
quantifiers can take the same characters, and a repeat that could otherwise run through a long
token is bounded (an e-mail's local part has at most 64 characters, a domain label 63).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from typing import AbstractSet, NamedTuple

from nocmatch.letter.dates import JOINING_FIELD, LEAVING_FIELD
from nocmatch.letter.duty_like import WORD, is_duty_like
from nocmatch.letter.language import foreign_sentence
from nocmatch.letter.layout import BLOCK_LINE_WORDS, LEGAL_FORMS, Layout, letter_layout
from nocmatch.letter.pages import COLUMN_GAP
from nocmatch.letter.segment import CLOSING_PHRASES, TO_WHOM, segment
from nocmatch.letter.sentence import Sentence

MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
         r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
#: A date as letters write it: "June 3, 2019", "3rd June 2019", "12-Jun-2019", "June 2019", "2019-06-03",
#: "03/06/2019", "03.06.2019" (a foreign office's), "2019/06/03".
DATE = (rf"(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?[\s-]{MONTH}[\s,-]\s*\d{{4}}"
        rf"|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}\b|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b|{MONTH},?\s+\d{{4}})")

#: A position's dates: "May 2, 2016 – March 31, 2019", "15.09.2018 until now".
DATE_RANGE = rf"{DATE}\s*(?:–|—|-|to|until)\s*(?:{DATE}|present|current|now|today)\b"
POSITION_DATES = re.compile(DATE_RANGE, re.I)
#: The most words of a contact line; a longer sentence that states the employment is the employment's facts.
CONTACT_LINE_WORDS = 16
#: A form's field label at the start of a line ("Address:   77 Industrial Pkwy N ...").
FORM_FIELD = re.compile(r"[^\W\d][\w ]{0,30}:")
#: The most words of a listed position's heading (its title and dates).
POSITION_HEADING_WORDS = 12
#: ... and at most this many words besides its dates ("Since March 2023, coordinate the work of two junior
#: programmers" is a duty with a date)
POSITION_HEADING_TITLE_WORDS = 6
#: A duty's share of the time written before it ("16 hrs/week - Respond to help-desk calls", "40% - Design
#: ...", "(30%) Support users"): the duty is classified without it (an "hours" line otherwise).
TIME_SHARE = re.compile(r"^(?:\(\s?\d{1,3}(?:[.,]\d)?\s?%\s?\)\s?[-–—:|]?"
                        r"|\d{1,3}(?:[.,]\d)?\s?(?:%|hrs?|hours?)(?:\s?(?:/|per|a)\s?(?:week|wk))?"
                        r"(?: of (?:the |my |his |her |their )?(?:time|week))?\s?[-–—:|])\s*(?=\S)", re.I)

#: A courtesy title before a name, in any case: "Ms. Priya Raman", "Eng. Karim Mostafa" (Egypt, Gulf), "MR. LIU JIANHONG".
HONORIFIC = r"(?i:Mr|Ms|Mrs|Miss|Mx|Dr|Prof|Eng|Engr)\.?"
#: The longest street name read before a street type in an address line ("220 King Street West").
STREET_NAME_CHARS = 100


class Rule(NamedTuple):
    kind: str
    pattern: re.Pattern
    #: the pattern can only match text with a digit: not searched in the many sentences without one
    needs_digit: bool = False


def _rule(kind: str, pattern: str, needs_digit: bool = False) -> Rule:
    return Rule(kind, re.compile(pattern, re.I), needs_digit)


#: What separates a form's label from its value besides a colon: a table's column gap ("Job title\tBusiness
#: Analyst") or a dot leader ("Job Title ......... Software Tester II").
FIELD_GAP = r"(?:[ \t]{2,}|[ \t]{0,4}\.{3,}[ \t]{0,4})"
#: The writer vouching for what the letter says ("We confirm that the information above is true and correct", "I
#: certify that the above information is accurate"): the letter's end; its signer's name and title follow.
VOUCHED = (r"\b(?:the (?:above|foregoing)|information (?:(?:given |stated |provided )?above|herein))"
           r"(?: information| details)?\s+(?:is|are)\s+(?:(?:a\s+)?true|correct|accurate)\b")

# (kind, pattern[, needs a digit]) — first match wins. Patterns are searched case-insensitively.
_RULE_ROWS: list[tuple[str, str] | tuple[str, str, bool]] = [
    ("greeting", rf"^(?:{TO_WHOM}|dear\b|re\s*:|subject\s*:|attention\s*:|hello\b(?![@.]))"),
    # the document's own title ("DECLARATION OF WORK EXPERIENCE", "Employment confirmation", "Experience Certificate";
    # with the employee's or employer's name after a dash or colon: "Employment confirmation - Ms. C. Nwankwo"):
    # part of the letter's head, as what precedes a greeting is, and never a position's heading
    ("letterhead", r"^(?:(?:work|working|employment|experience|service|job|salary|reference|verification)\s+){0,3}"
                r"(?:certificate|certification|confirmation|declaration|letter|attestation|verification|statement"
                r"|reference(?![^\d]*\d))"  # not "Reference: A. Rahmani - Analyst - since 2022-04-19", a position's facts
                r"(?:\s+(?:of|for|on|work|working|employment|experience|services?|contract|engagement|job|reference|verification|confirmation"
                r"|certificate|letter)){0,4}"
                # or a column's gap and the line's other cell ("CONFIRMATION OF EMPLOYMENT      Date: 2025-01-30")
                r"(?:\s*[.:]?$|\s*[-–—:(]\s*[^\W\d_]|\s{3})"),
    ("closing", r"^(?:sincerely|regards|best regards|kind regards|warm regards|yours (?:truly|sincerely|faithfully)"
                r"|respectfully|cordially|thank you)\b|\b(?:do not|don't) hesitate to (?:contact|reach)"
                r"|\bfeel free to (?:contact|reach)|\bshould you (?:have|require|need)|\bif you (?:have|require|need) any"
                r"|\bfor (?:any )?(?:further|more|additional) (?:information|details)|\bcan be reached at\b"
                r"|\b(?:please|kindly) (?:contact|call|reach|e-?mail|write to)\b|\bcontact (?:me|us|the undersigned)\b"
                r"|\b(?:happy|glad) to (?:confirm|answer|provide)\b|\bdont hesitate\b|^any (?:questions|queries)\b"
                # a small employer's "Call me if you have questions.", "For any question you can call me."
                r"|^(?:please\s+)?(?:call|phone|text|e-?mail|reach)\s+me\b|\bfor any (?:other )?(?:questions?|quer(?:y|ies))\b"
                r"[^.]{0,30}\b(?:call|contact|reach|write)\b"),
    # what the letter is for and who answers for it, at its end ("This certificate is issued on his request
    # for immigration purposes", "... without any liability on the part of the company")
    ("other", r"\b(?:letter|certificate|certification|confirmation|reference|declaration|attestation)\s+"
              r"(?:is|was|has been|is being)\s+(?:hereby\s+)?(?:issued|given|provided|made|written|furnished|delivered)\b"
              r"|\b(?:issued|given|provided)\s+(?:(?:up)?on|at)\s+"
              r"(?:his|her|their|the)\b[^.]{0,30}\brequest\b|\bwithout any (?:financial )?(?:liability|responsibility)\b"
              r"|\bfor (?:immigration|visa) purposes?\b|\bwhatever legal purpose\b"
              r"|\b(?:request|requirement) of the interested party\b"
              r"|\blegal purposes?\b|\bthis (?:letter|certificate) as (?:a |the )?confirmation\b"
              # a Brazilian declaration's closing formula ("By being the expression of the truth, we sign the present")
              r"|\bexpression of (?:the )?truth\b|\bwe sign the present\b"
              # the writer vouching for the letter ("We confirm that the information above is true and correct",
              # "We certify the above is correct") and a Chinese certificate's "特此证明" in translation
              rf"|{VOUCHED}|^special(?:ly)? certif\w*\b"
              # Spanish and Portuguese closing formulas in translation ("Without other particular, we greet you very
              # attentively", "Without more for the moment, we subscribe ourselves"): the signature block follows
              r"|\bwe greet you\b|^without (?:other|more|further) (?:particular|for the moment)\b|\bwe subscribe ourselves\b"
              r"|^please accept\b[^.]{0,60}\b(?:salutations|greetings|regards)\b"
              # an e-mail's disclaimer and footer, when the letter came as an e-mail
              r"|\bintended (?:only |solely )?for the (?:named |intended )?(?:recipient|addressee)|\bthe information in this"
              r" e-?mail\b|\bthis (?:e-?mail|message) (?:and any|\(including|including|is confidential|may contain)"
              r"|^sent from my\b|\bintended recipient\b|\bconfidential and (?:may be )?(?:legally )?privileged\b"
              r"|\breceived this (?:e-?mail|message|communication) in error\b"
              r"|\bnotify the sender\b|\bconsider the environment before printing\b|\baccepts no liability\b"
              # a forwarded e-mail's header ("Subject: Employment letter"; its "From:" and "To:" are contacts)
              r"|^(?:subject|importance)\s*:\s"
              # a statutory declaration's formula, exhibits and jurat (the applicant's own declaration of the duties)
              r"|\bsolemnly declare\b|\b(?:this|my) (?:solemn )?declaration\b|\bexhibits?\s+[\"“”']?[A-Z]\b"
              r"|\bcommissioner for (?:taking )?(?:affidavits|oaths)\b|\bdeclared before me\b"
              r"|\bforce and effect as if made under oath\b"
              # a certificate's purpose and its orders in translation from Russian ("for presentation at the place
              # of demand", "Order No. 112-k dated 11.05.2018")
              r"|\bplace of (?:demand|requirement|request)\b|^(?:(?:by|transferred by)\s+)?order\s+(?:no\.?|№|#)\s*[\w/-]+"
              # the writer introducing themselves ("Quick background: I'm CTO and co-founder of …", "I was his
              # direct manager from 2020 to 2023", "I've been Kenji's manager since he joined")
              # (not an applicant's own "I was the IT Manager of …" in a statutory declaration)
              r"|^(?:[\w ]{1,20}:\s*)?i(?:'m|’m| am)\s+(?:the\s+)?(?:co-?founder|founder|cto|ceo|coo|owner)\b"
              r"|\b(?:in|with) my capacity as\b|^i (?:own|founded|co-?founded)\b"
              # the note of whoever forwards the letter ("Please find below the reference letter from my manager",
              # "Here is the text of the letter", "HR will send the signed PDF separately", "The original signed copy
              # will be sent to your home address by post", "The table with percentages is what my manager prepared")
              r"|^(?:as requested,?\s+)?(?:please\s+)?(?:find|see)\s+(?:attached|below|enclosed|herewith)\b"
              r"|^(?:as requested,?\s+)?please (?:find|see)\b|^(?:here is|here's|here are|here you go)\b"
              r"|\bforwarding (?:the|my|his|her|this|you)\b"
              r"|\bwill (?:send|post|mail|forward)\b[^.]{0,40}\b(?:copy|pdf|original|letter|certificate)\b"
              r"|\b(?:copy|pdf|original|letter|certificate)\b[^.]{0,40}\bwill be (?:sent|posted|mailed|forwarded)\b"
              r"|^the (?:table|list)\b[^.]{0,60}\bprepared\b"
              # what is not part of the post ("... are handled by the Infrastructure team and are not part of this position")
              r"|\bnot (?:a )?part of (?:this|his|her|their|the) (?:position|role|job|post)\b"
              r"|^i(?: was|'ve been|’ve been| have been| am)\s+(?:his|her|their|[\w'’ -]{1,40}(?:'s|’s))\s+"
              r"(?:direct\s+|line\s+)?(?:manager|supervisor)\b"),
    # "date\s*(?::\s*)?", not "date\s*:?\s*": two \s* side by side share a run of spaces quadratically
    # (the dot leader's branch needs its dots: a run of spaces has one way to be read, not two)
    ("date", rf"^(?:(?:date[d]?(?: issued| of issue)?|issued(?: on)?)(?:\s*(?::\s*)?|[ \t]{{0,4}}\.{{3,}}[ \t]{{0,4}}))?"
             rf"{DATE}\.?$"),
    ("date", r"^sent\s*:\s"),  # a forwarded e-mail's "Sent: 19 January 2024 17:48"
    # a template's signature field ("Signed: Jennifer Halvorsen, Director of Human Resources")
    ("signature", r"^signed\s*(?::|(?:by|in|at)\b)"),
    # the line signers sign on ("Vice-President for Administrative Issues    ____________  Zhaksylykov B.T.")
    ("signature", r"_{4,}"),
    # a mark where the signature and stamp are ("(signed and sealed)"): the layout finds the block around it
    ("other", r"^\((?:signed|sealed|stamped)\b[^)]{0,40}\)$"),
    # an e-mail address is searched with bounded parts: "[\w.+-]+@" tried from every character of a
    # long token runs to its end each time; a street name is at most STREET_NAME_CHARS long
    ("contact", rf"[\w.+-]{{1,64}}@[\w-]{{1,63}}\.[\w.]{{1,188}}|\b(?:tel|phone|fax|telephone|cell|mobile)\b\s*[:.]"
                r"|\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}|\bwww\.|https?://|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"
                rf"|^\d+\s+[\w .'-]{{1,{STREET_NAME_CHARS}}}\b(?:street|st|avenue|ave|road|rd|blvd|boulevard"
                r"|drive|dr|way|lane|crescent|court|place|parkway|square)\b\.?(?:,|$)|\bsuite\s+\d+"),
    ("compensation", r"\b(?:salary|salaries|wage|wages|remuneration|compensation|per annum|annual pay|hourly rate"
                     r"|paid (?:at|an?)\b|earns?|earning|benefits? (?:package|include|plan)|vacation|pension|rrsp"
                     # "dental" alone is also an employer's trade ("Clearwater Dental Systems develops ...")
                     r"|(?:health|medical),? (?:and )?dental|dental,? (?:and )?(?:vision|health|medical|life)"
                     r"|dental (?:plan|care|coverage|insurance|benefits?)"
                     r"|bonus(?:es)?)\b|\$\s?[\d,.]+\s*(?:k\b\s*)?(?:per|a|/|an)\s*(?:year|yr|annum|hour|hr)"),
    ("hours", r"\b\d{1,2}(?:\.\d+)?\s*(?:working\s+)?(?:hours|hrs|h)\s*(?:(?:per|a|/|each|every|in(?:\s+a)?)\s*week\b"
              r"|weekly\b)"
              r"|\bfull[- ]time\b|\bpart[- ]time\b|\bhours per week\b|\bweekly hours\b"
              # "Hours of Work: 37.5 per week", "His scheduled hours are 35 per week", "8.5 hours per day"
              r"|\bhours(?: of work)?(?: are| is)?\s*(?::\s*)?\d{1,2}(?:\.\d+)?\s*(?:per|a|/)\s*(?:week|day)\b"
              r"|\b(?:[1-9]|1[0-2])(?:\.\d+)?\s*(?:hours|hrs)\s*(?:per|a)\s*day\b"),
    # "confirm that" + the employee (a name, a pronoun): "... to confirm that each design will hold up" is a duty's
    ("employment", r"\b(?:confirm|certif|verif|attest)\w* (?:that\s+(?:(?-i:[A-Z])|(?:he|she|they|the employee|our|his|her"
                   r"|this is)\b)|the employment)"
                   r"|\boccup(?:ies|ied|y) the (?:position|post)\b|\bhas been (?:employed|working)|\bwas employed"
                   r"|\bis (?:currently )?employed|(?<!who )(?<!that )\bjoined (?:our|the|us)\b"
                   r"|\bworked (?:for|at|with) (?:us|our)"
                   r"|\bemployment (?:with|at|of|dates?|start|end)\b|\b(?:start|end|hire|hiring) date\b|\bto (?:the )?present\b"
                   r"|\bwork(?:ed|s) here\b"
                   # "is working in our company Infotech Solutions since ...", "is working with us as ..."
                   r"|\b(?:is|was) (?:currently )?working (?:(?:in|with|at|for) (?:our|this) (?:esteemed |reputed )?"
                   r"(?:company|organi[sz]ation|firm|bank|office|institution|group|concern)\b|(?:with|for) us\b)"
                   r"|\bpromoted to\b|\bcurrently holds\b|\b(?:has held|holds|held) the (?:position|title|post)\b"
                   r"|\bpermanent,? full"
                   r"|\bemployee (?:id|number)\b|(?<!supervisor )(?<!manager )(?<!signer )\b(?:job )?title\s*:"
                   r"|\bposition(?: \d{1,2})?\s*:|\b(?:since|from) " + DATE
                   # a form's fields of the post and its dates ("Designation:   Programmer Analyst II",
                   # "Date of joining:   September 3, 2019"); "designation" reads as the verb "design"
                   + rf"|^designation\s*:|^(?:{JOINING_FIELD}|{LEAVING_FIELD}|last working day)\b"
                   # "His current title is Information Systems Quality Assurance Analyst"
                   + r"|^(?:actually,? |currently,? )?(?:his|her|their) (?:current |job |official |present |actual )?"
                   r"(?:title|position|designation) (?:is|was)\b"
                   + r"|\bemployment details\b"
                   # the employee introduced by name and title: "Ms. Svetlana Morozova - Senior Data Scientist, ..."
                   rf"|^{HONORIFIC}\s+[^\W\d_]+(?:\s+[^\W\d_]+){{0,3}}\s+[-–—]\s"
                   # a certificate's formula: "Given to Mr. X ... that he really works in LLC ... on the position of"
                   r"|\bthat (?:he|she|they) (?:really |actually |indeed )?(?:works?|worked|is working|was working"
                   r"|has worked)\b"),
    # a position's dates ("Software Developer ..... May 2, 2016 – March 31, 2019"): the costliest
    # pattern to search, and one that needs a digit
    ("employment", DATE_RANGE, True),
    # how the letter writes dates: after the employment rules, as it may close a sentence of the employment's
    # facts ("... joined our company on 01.06.2016 as Programmer, ... (all dates in this certificate are day.month.year)")
    ("other", r"\bdates in this (?:letter|certificate|document)\b"
              # "keeps active employment relationship with the company until this date": the employment goes on
              r"|\bemployment relationship\b"
              # what a foreign certificate says of the parting ("She has been cleared of all her accountabilities",
              # "has no debt with the company", "She leaves our company at her own request"), after the rules of
              # pay and dates ("When he left the company his monthly salary was RMB 26,000")
              r"|\bcleared (?:of )?(?:all|any)\b|\b(?:has|have) no (?:debts?|dues|outstanding)\b"
              r"|\b(?:leaves|left|is leaving) (?:our|the) (?:company|firm|organi[sz]ation)\b"
              # a code the letter cites ("NOC Code .... 2283 – Information systems testing technicians"): the officer
              # reads the duties, not the code the employer chose
              r"|\bNOC\s*(?:code\s*|no\.?\s*)?(?:[:#-]|\.{3,})?\s*\d{4,5}\b"),
    ("company", r"\b(?:founded|established|incorporated) in\b|\bheadquartered\b|\bleading (?:provider|company|firm|supplier)"
                r"|^(?:our|we) (?:company|firm|organization|are|have|serve|provide|specialize)\b"
                # what the employer does ("We design, build and host websites for tourism operators")
                r"|^we (?:design|build|develop|create|supply|offer|sell|make|manufacture|operate|run|deliver|host"
                r"|help|rely|work with)\b"
                r"|\bis an? (?:leading|global|canadian"
                r"|ontario|toronto|privately|publicly|award)\b|\bemploys? (?:over|more than|approximately) \d"
                # the employer named by its legal form and described: "Kestrel Parts Ltd. is a family-owned distributor"
                rf"|\b(?:{LEGAL_FORMS})\b\.?,? (?:is|has been) an?\b"),
    # a template's fields that name people or places, not work ("Department: IT - Data Services",
    # "Supervisor: Anil Deshpande, Test Engineering Manager", "Issued by: HR")
    ("other", r"^(?:department|division|unit|team|location|work location|site|branch"
              r"|(?:supervisor|manager|signer)(?:['’]s)?(?: name| title| e-?mail| phone)?"
              r"|client(?: assignment(?:s|\(s\))?)?"
              r"|(?:direct )?reports? to|reporting to|(?:issued|verified|prepared|approved|certified|completed) by"
              r"|issued to|employer"
              r"|addressed to|conduct|remarks|character|issuing organi[sz]ation|job code(?: / grade)?|classification"
              r"|position number|grade|band"
              # a table's cells (the label, a tab, the value) or a form's dot leader ("Job Code / Grade ..... IT-0342")
              rf"|employee(?: name)?|name)(?:\s*:|\t|{FIELD_GAP}(?=\S))"),
    # work done by others ("design and coding of the website is contracted to an outside agency") and whom the
    # employee reports to are no duties (what the employee does not do: NOT_DONE)
    ("other", r"\b(?:is|are|was|were)\s+(?:contracted|outsourced|subcontracted)(?:\s+out)?\s+to\b"
              # "The main product firmware is done by Software Department", "The look of the store is supplied by
              # our marketing agency": the work of others, the agent of the sentence's own passive verb (not of a
              # clause inside a duty, "… (test execution is done by the testing team)", nor before "; she …")
              r"|^(?:[^,;:()]|\([^()]{0,80}\)){0,120}?\b(?:is|are|was|were)\s+(?:done|handled|supplied|provided|produced|written|built"
              r"|developed|designed|created|made|owned|maintained|performed|proposed|defined|decided|specified)\s+by\s+"
              r"(?:(?:our|its|their|another|other|his|her|two|three|four|several"
              r"|external|outside|separate|third[- ]party)\b|(?:the|an?)\s+(?!(?:employee|candidate|applicant)\b)"
              r"|(?:\w+\s+){1,3}(?:department|team|group|agency|vendor|division)\b)[^;]*$"
              # "Software architecture and design are the responsibility of our Software Engineering group", "Our
              # developers build the sites from her designs": who else does the work, so the employee does not
              r"|^(?:[^,;:()]){0,120}?\b(?:is|are|was|were|remains?)\s+the\s+responsibility\s+of\s+"
              r"(?:our|the|its|their|another|an?|his|her)\b"
              r"|^our\s+(?:\w+\s+){0,2}(?:developers|engineers|programmers|designers|architects|analysts|contractors"
              r"|vendors?|agency)\s+(?:then\s+)?(?:build|write|code|develop|implement|design|produce|create|handle|do"
              r"|program)\b"
              r"|^(?:he|she|they|i|(?:mr|ms|mrs|dr)\.?\s+[\w'’-]+)\s+(?:currently\s+|also\s+)?(?:reports?|reported)"
              r"\s+(?:directly\s+)?to\b(?![^.]{0,60}\b(?:on|about|regarding)\b)"
              # the team the employee belongs to and its reporting line ("... of our Platform team, which reports to me")
              r"|\b(?:team|group|department|unit),?\s+which\s+reports\s+to\b"),
    ("praise", r"\b(?:valuable|valued (?:member|employee|colleague|team member)|asset to|pleasure"
               r"|dedicated (?:and|employee|member|professional)|dedication|hard[- ]?working"
               r"|(?:highly )?recommends? (?:him|her|them)|wish (?:him|her|them)|commend\w*|excellent (?:employee|team member)"
               r"|professionalism|pleased to|proud to|strong work ethic|great addition|(?:well|highly) regarded"
               # a person's integrity, not a signal's or the data's ("performs signal-integrity simulations")
               r"|(?:honesty,? and|his|her|their|great|high|highest|utmost|personal|professional|with|person of) integrity"
               r"|\b(?:performed|fulfilled|carried out|discharged)\b[^.]{0,30}\b(?:duties|tasks|responsibilities)\b"
               r"[^.]{0,10}\b(?:diligently|conscientiously|responsibly|with (?:high|great|full|much))\b"
               r"|well[- ]liked|respected by|we thank)\b"
               # "Mr. Pillai is an excellent engineer whose designs ...", "Her designs have won two awards"
               r"|\b(?:is|was|has been) an? (?:excellent|outstanding|exceptional|talented|brilliant|gifted)\b"
               r"|\b(?:have|has|had) (?:won|received|earned)\b[^.]{0,60}?\bawards?\b"
               # "during his work he showed high responsibility and good manners"
               r"|\b(?:showed|shown|demonstrated)\s+(?:a\s+)?(?:high|great|good|excellent|strong|exemplary)\s+"
               r"(?:responsibility|dedication|commitment|sense|discipline|manners|attitude|work ethic)\b"
               r"|\bgood manners\b"
               # a German reference's formulas ("performed the tasks ... to our fullest satisfaction", "has very
               # good professional knowledge") and a parting word ("left on good terms and we would gladly ...")
               r"|\bto (?:our|my) (?:fullest|full|complete|entire|greatest|utmost|highest) satisfaction\b"
               r"|\b(?:very good|excellent|sound|comprehensive|profound) professional knowledge\b"
               r"|\bleft (?:us |the company )?on good terms\b|\bwould (?:gladly|happily|readily) (?:re-?hire|work with|employ)\b"
               # "His conduct during the employment is good", "her work and conduct was found good"
               r"|\b(?:his|her|their)\s+(?:\w{1,20}\s+and\s+)?(?:conduct|character|behaviou?r)\b[^.]{0,40}?"
               r"\b(?:is|was|has been|remained)\b[^.]{0,20}?\b(?:good|satisfactory|excellent|exemplary)\b"),
]
RULES: list[Rule] = [_rule(*row) for row in _RULE_ROWS]
EMPLOYMENT_RULES = [rule for rule in RULES if rule.kind == "employment"]
GREETING = RULES[0].pattern
VOUCHING = re.compile(VOUCHED, re.I)
DIGIT = re.compile(r"\d")
#: The greeting that opens a letter (not an e-mail's "Subject:" or "Hi Liam,"): after an e-mail's sign-off, the
#: letter itself starts there.
LETTER_GREETING = re.compile(rf"(?:{TO_WHOM}|dear\b)", re.I)
CLOSING_LINE = re.compile(rf"^(?:(?:{CLOSING_PHRASES})\b|best\s*,?\s*$)", re.I)
#: Work on a budget ("controls the budget of the department", "prepared and managed the annual IT budget"):
#: the amounts and "salaries" such a sentence names are the budget's, not the employee's pay.
BUDGET_WORK = re.compile(r"\b(?:control|manag|prepar|approv|plan|monitor|overs[ae]|own|administer|forecast|allocat)\w*"
                         r"\s+(?:(?:the|a|an|our|its|his|her|their|all)\s+)?(?:[\w'’-]+\s+){0,3}?budgets?\b", re.I)
#: The heading of a job description attached after the signature ("Annex A – Job Description", "Appendix: Key
#: Responsibilities"): the letter's duties follow it.
ANNEX_HEADING = re.compile(r"^(?:annex(?:ure)?|appendix|attachment|enclosure|exhibit)\b[^\n]{0,40}?\b(?:job\s+description"
                           r"|(?:position|role)\s+description|duties|responsibilities|tasks)\b[^\n]{0,20}$", re.I)
#: The heading of what a post requires ("Qualifications", "Skills:", "Education and certifications"): the lines
#: under it are not duties.
REQUIREMENTS_HEADING = re.compile(r"^(?:(?:key|required|minimum|technical|essential)\s+)?(?:qualifications?"
                                  r"|education|skills|competencies|certifications?)(?:\s+(?:and|&)\s+[a-z]+)?\s*:?$", re.I)
#: A sentence's opening date ("Since 2021", "From April 2021 onwards,") before its subject.
LEADING_SINCE = re.compile(r"^(?:since|from|as of|starting(?: from)?)\s[^,;]{1,40}?(?:\s(?:onwards?|till date|to date))?"
                           r",?\s+(?=(?:he|she|they|i)\s)", re.I)
#: The subject and the verb after it ("he also coordinates", "she was leading"), not a title ("he worked as").
SUBJECT_DOING = re.compile(r"(?i:he|she|they|i)\s+(?:(?i:was|is|has been|have been|had been|also|now|currently)\s+){0,2}"
                           r"(?P<verb>[A-Za-z]+)\b(?!\s+(?i:as)\b)")
#: Verbs that state a position, not work done in it ("has held the position", "served as", "performed both positions").
POSITION_VERBS = frozenset("""work works worked working serve serves served serving hold holds held holding occupy occupies
occupied act acts acted acting join joins joined perform performs performed continue continues continued remain remains
remained become becomes became move moves moved transfer transferred promote promoted employ employed""".split())
#: A form's field that names who signs it ("Completed by:", "Contact person: ZHANG Lihua"): the signature
#: block starts there, and the "Title:" under it is the signer's, not the employee's.
SIGNED_BY = (r"(?:(?:completed|verified|authori[sz]ed|approved|issued|signed|prepared|certified|confirmed)\s+by"
             r"|contact\s+person|(?:[\w ]{0,20}/\s*)?(?:authori[sz]ed\s+)?signatory)")
SIGNER_FIELD = re.compile(rf"^{SIGNED_BY}\s*:", re.I)
DUTY_SECTION = re.compile(r"\b(?:dut(?:y|ies)|responsibilit\w*|tasks?|role|accomplishments?|achievements?|functions?|activities"
                          r"|key|main|include[sd]?|following|highlights|contributions|(?:'s|his|her|their) work)\b", re.I)
OTHER_SECTION = re.compile(r"\b(?:salary|compensation|benefits|contact|employment details|position details|hours)\b", re.I)
MIN_DUTY_WORDS = 3
#: The first word of a line (a name's first word: "Trans-Halton", "St", "Cobalt").
FIRST_NAME_WORD = re.compile(r"[^\W\d_][\w&'-]{0,40}")
#: Words a letterhead line may open with that do not name the employer.
NOT_A_NAME = frozenset("""the to re ref date our from dear attention attn office department human suite employment
it information technology software data web network systems digital global international national canadian""".split())
#: A heading of the duties without a colon: "DUTIES AND RESPONSIBILITIES", or a table's header row pasted as text,
#: "Period    Position    Main Duties".
DUTIES_HEADING_LINE = re.compile(
    r"(?i:(?:(?:period|dates?|from|to|years?|position|title|job title|designation|role|department)\s{2,}){0,4}"
    r"(?:main |key |principal |job )?(?:duties|responsibilities)(?: and (?:duties|responsibilities))?)$")
#: A heading written as a sentence: "His main duties are described below.", "Her responsibilities are summarized below."
BELOW_HEADING = re.compile(r"\b(?:are|is)\s+(?:(?:described|summari[sz]ed|listed|detailed|outlined|set out|given|shown)\s+"
                           r"(?:below|as follows)|as below|as follows)\s*[.:]?$", re.I)
#: Words of a heading longer than :data:`HEADING_WORDS` when it names the duties ("At the employee's request, the
#: main duties of the position and the approximate share of working time spent on each are listed below."), and
#: no title ("In his current position as Software Developer II, he performs the following duties:" tells the
#: positions whose duties follow)
HEADING_WORDS = 12
DUTIES_HEADING_WORDS = 25
#: A duties table's header row read as one line ("Responsibility      % of time", "No.  Task description  Time (%)").
TABLE_HEADER = re.compile(r"^(?:no\.?\s+)?(?:main\s+)?(?:dut(?:y|ies)|tasks?(?: description)?|responsibilit(?:y|ies)"
                          r"|activit(?:y|ies))(?:\s+tools?(?: used)?)?\s+(?:%|\(?(?:percent(?:age)?|share|time)\b)"
                          r"[^\n]{0,20}$", re.I)
#: A position's heading of a title and years ("SYSTEMS PROGRAMMER (2020 – present)", "Data Scientist - 2019 to 2023"):
#: every word of the title capitalised (or a connector), so "Led the migration project (2019 - 2020)" stays a duty.
TITLE_YEARS = re.compile(r"^[A-Z][\w&/.'’-]{0,40}(?:,?[ \t]{1,3}(?:[A-Z][\w&/.'’-]{0,40}|of|and|&|in|for|the)){0,6}"
                         r"[ \t]{0,3}[-–—:,]?[ \t]{0,3}\(?(?:19|20)\d{2}[ \t]{0,3}(?i:–|—|-|to|until)[ \t]{0,3}"
                         r"(?:(?:19|20)\d{2}|(?i:present|current|now|today|date))\)?:?$")  # bounded runs: linear
#: A name standing alone at the top of a letter: the employer's ("LUZON CONNECT SOLUTIONS, INC.",
#: "Carpatica Software Services SRL") or a department's ("Information Technology Services"): every word
#: capitalised or a connector, a legal form or a word for a department last. Its "Services" or
#: "Solutions" is not a duty.
_NAME_WORD = r"(?:\(?[A-Z0-9][\w&'.()/-]*|of|and|&|for|de|du|da|do|la|the)"  # "(LRDA)": an initialism after the name
ORGANISATION_LINE = re.compile(
    rf"^{_NAME_WORD}(?:,?\s+{_NAME_WORD}){{0,9}},?\s+(?i:{LEGAL_FORMS}|ltda|ag|srl|s\.r\.l|sa|s\.a|jsc|pvt|bv"
    r"|services|department|division|branch|office|unit)\.?$")
#: An employer named after its legal form, as offices in the former Soviet Union write it: 'JOINT-STOCK COMPANY
#: "QAZTRANSLOGISTICS"', 'LLC "Softline"' (above the body, never a duty).
FORM_FIRST_ORGANISATION = re.compile(r'^(?:joint[- ]stock company|limited liability (?:company|partnership)|[pco]?jsc|llc|llp'
                                     r'|ooo|too|tov)\s+["«“][^"«»“”\n]{2,60}["»”]$', re.I)
#: A line of capitalised words only ("Polaris Precision Plastics Inc. - Plant 2, Brampton ON", "Senior QA
#: Analyst, Information Systems"): above the body, a name, a place or a title, not a duty.
CAPITALISED_LINE = re.compile(rf"^{_NAME_WORD}(?:(?:\s*[,|–-])?\s+{_NAME_WORD}){{1,11}}$")
#: What the employee does not do, or no longer does: no duty, though its words are a duty's ("Arjun no longer
#: writes production code", "Ms. Zhou does not have direct reports", a template's "Does not carry regular
#: coding assignments"). The subject is a pronoun or a name (case-sensitive), so "Ensures data is not lost"
#: is no match; a capitalised first word that is a verb of work ("Ensures Kafka does not drop ...") is
#: ruled out by :func:`_not_done`.
NOT_DONE = re.compile(
    rf"^(?:(?P<subject>(?i:he|she|they|i|the employee)|(?:{HONORIFIC}\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)\s+"
    r"(?:(?i:currently|also|still|himself|herself)\s+)?)?"
    r"(?i:(?:does|do|did)\s+not|(?:doesn|don|didn)['’]?t|no\s+longer|(?:is|was|has|had)\s+not|never"
    r"|(?:has|have|had)\s+no)\b"
    r"(?!\s+(?i:only|limited)\b)")
#: A year in a line ("09/2022 - currently", "Tenure: 12th July 2016"): a position's dates, not a duty.
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
#: A person's name, with an honorific and a title or credential after commas: "Erik Lindqvist, Managing Partner",
#: "Dr. Lisa Moreau, Owner", "Mark Sandhu, P.Eng." (case-sensitive: a name is capitalised).
PERSON_LINE = re.compile(rf"(?:{HONORIFIC}\s+)?[A-Z][a-z'’-]+(?:\s+(?:[A-Z]\.|[A-Z][a-z'’-]+)){{1,3}}"
                         r"(?:\s*,\s*[^,\d]{1,60}){0,2}")

TITLE_CUE = re.compile(
    r"(?:\b(?:(?:em|ern)ployed|working|works|worked|hired|serves|served|serving|joined|engaged|appointed|started|continues|occupied|active"
    r"|been with (?:us|our|the)"
    # up to 80 characters before "as", a bracket counting as one ("worked for Lakeshore Inc. (100 Queen St W,
    # Toronto ON M5H 2N2) since May 2020 as a ..."); a bracket cannot open the other branch: no backtracking
    r"|employee)\b(?:\([^()\n]{0,80}\)|[^\n;()]){0,80}?\bas\s+"
    # (not the writer's own "in my capacity as Chief Technology Officer"); "qualification": the Italian "qualifica"
    r"|(?<!\bmy )\b(?:position|post|role|title|capacity|designation|qualification)\s+(?:of|as)\s+"
    r"|\bpromot(?:ed|ion) to\s+(?:the\s+(?:position|role)\s+of\s+)?"
    r"|\bhas been (?:our|the)\s+"
    # (not a form's "Supervisor title: Principal Consultant")
    r"|(?<!supervisor )(?<!manager )(?<!signer )\b(?:job\s+)?(?:title|position|designation|role)(?:\s+on\s+paper)?"
    r"\s*(?:is|was|:|-|–)\s*|^function\s*:\s*"
    # a table's "Job title\tBusiness Analyst", a form's "Job title ......... Software Tester II"
    rf"|^(?:job\s+|position\s+)?(?:title|position|designation){FIELD_GAP}(?=\S))"
    # "His title is still "Lead Software Engineer"", "Her title on paper is Senior Software Developer"
    r"(?:(?:still|now|currently|officially|formally)\s+)?(?:an?\s+|the\s+|our\s+)?"
    r"[\"“‘']?(?P<t>[A-Za-z][^\n]{0,120})", re.I)  # as "Software Engineer"
#: Words describing the employment, not the occupation ("a full-time, permanent Senior Developer").
EMPLOYMENT_TYPE = re.compile(r"^(?:full[- ]time|part[- ]time|permanent|temporary|contract|regular|continuing|casual"
                             r"|salaried|hourly|fixed[- ]term|seasonal)$", re.I)
TITLE_STOP = {"since", "from", "at", "with", "in", "on", "for", "until", "to", "where", "who", "during", "effective",
              "between", "starting", "beginning", "reporting", "within", "is", "was", "has", "had", "he", "she", "they",
              "his", "her", "their", "our", "the", "a", "an", "by", "under", "through", "after", "which", "that",
              "position", "role", "employee", "working", "responsible",
              # "as Software Engineer and promoted as Senior Software Engineer": the next position's words
              "promoted", "later", "subsequently", "then", "currently", "presently"}
LEVEL_SUFFIX = re.compile(r"^(?:i|ii|iii|iv|v|[1-5]|l[1-5])$", re.I)
DEFAULT_TITLE_HEADS = frozenset(
    "engineer developer programmer manager analyst designer architect scientist specialist administrator "
    "consultant lead director officer technician tester nurse accountant coordinator supervisor head "
    "webmaster strategist statistician auditor controller assistant representative advisor".split())


@dataclass
class ParsedLetter:
    """A letter split into classified sentences, with the job titles it states."""

    text: str
    sentences: list[Sentence]
    titles: list[str] = field(default_factory=list)
    name: str = "letter"

    @functools.cached_property
    def layout(self) -> Layout:
        """Letterhead, body and signature block (:func:`nocmatch.letter.layout.letter_layout`), worked out once."""
        return letter_layout(self.sentences)

    @property
    def title(self) -> str | None:
        """The title the letter claims for the position whose duties it lists (the last stated)."""
        return self.titles[-1] if self.titles else None

    @property
    def duties(self) -> list[Sentence]:
        return [s for s in self.sentences if s.kind == "duty"]

    def of_kind(self, kind: str) -> list[Sentence]:
        return [s for s in self.sentences if s.kind == kind]


def _not_done(text: str) -> bool:
    """Whether a sentence says what the employee does not do (:data:`NOT_DONE`)."""
    found = NOT_DONE.match(text)
    if found is None:
        return False
    subject = found.group("subject")
    return subject is None or not is_duty_like(subject.split()[0])


def _rule_kind(text: str) -> str | None:
    has_digit = DIGIT.search(text) is not None
    for rule in RULES:
        if (has_digit or not rule.needs_digit) and rule.pattern.search(text):
            if rule.kind == "compensation" and BUDGET_WORK.search(text):
                continue  # "he controls the budget (RMB 9 million per year) including the salaries": work, not pay
            if rule.kind == "contact" and len(text.split()) > CONTACT_LINE_WORDS and not FORM_FIELD.match(text) and any(
                    (has_digit or not r.needs_digit) and r.pattern.search(text) for r in EMPLOYMENT_RULES):
                # "I confirm that Chen Jing has worked for Lakeshore Inc. (100 Queen St W, Toronto ON M5H 2N2)
                # since May 2020 as ...": the employment's facts, with the employer's address in passing
                return "employment"
            return rule.kind
    return None


def classify(units) -> list[Sentence]:
    """Assign a kind to every unit, using the letter's layout (greeting, sections, closing)."""
    sentences: list[Sentence] = []
    in_duties = False
    in_duty_list = False  # under a duties heading, and no paragraph since
    in_requirements = False  # under "Qualifications", "Skills": what the post asks for, not work done
    seen_greeting = any(GREETING.search(u.text) for u in units)  # the first rule: a match is a greeting
    before_body = seen_greeting
    after_closing = False
    at_top = True  # nothing of the letter's body read yet (what a letter without a greeting has above it)
    unclaimed: set[int] = set()  # units no rule classified that are not duties either
    employer: set[str] = set()  # the first words of the letterhead's lines: the employer's name
    for i, unit in enumerate(units):
        text = unit.text.strip()
        share = TIME_SHARE.match(text)
        body = text[share.end():] if share and len(text[share.end():].split()) >= MIN_DUTY_WORDS else text
        words = text.split()
        kind = _rule_kind(body)
        if kind is None and at_top and not unit.bulleted and (ORGANISATION_LINE.match(text)
                                                               or FORM_FIRST_ORGANISATION.match(text)):
            kind = "letterhead"
        if after_closing and (LETTER_GREETING.match(text) or GREETING.match(text)):
            after_closing = False  # a letter pasted below an e-mail's own sign-off ("Kind regards, Priya")
        annex = after_closing and ANNEX_HEADING.match(text) is not None
        if annex:
            after_closing = False  # "Annex A – Job Description" after the signature: the duties follow
        if after_closing:
            kind = "signature"
        elif annex:
            kind, in_duties, in_duty_list, in_requirements = "heading", True, True, False
        elif not unit.bulleted and REQUIREMENTS_HEADING.match(text):  # not a table's column ("Skills | Duties")
            kind, in_duties, in_duty_list, in_requirements = "heading", False, False, True
        elif kind == "greeting":
            before_body = False
        elif before_body and kind in (None, "heading"):
            kind = "letterhead"  # lines above the greeting: company name, address, reference numbers
        elif CLOSING_LINE.match(text):
            kind, after_closing = "closing", True
        elif SIGNER_FIELD.match(text) or kind == "signature" or kind == "other" and VOUCHING.search(text):
            # "Signed by:", "Signature: ______", "Director  ______  O. M. Shevchuk": the signers' block begins
            kind, after_closing = "signature", True
        elif _is_heading(text, kind) or DUTIES_HEADING_LINE.match(text) or TABLE_HEADER.match(text):
            kind = "heading"
            in_duties = in_duty_list = bool(DUTY_SECTION.search(text)) and not OTHER_SECTION.search(text)
            in_requirements = False
        elif (kind in ("employment", "praise", "company", "compensation") and unit.bulleted and in_duties
              # a position's heading ("B) Developer - 2018 to 2022"), not a table row that also lists its duties
              and not (kind == "employment" and (_position_heading(text) or FORM_FIELD.match(text)))):
            # a listed duty that happens to mention "joined", "proud" or a budget's "salaries" (a position's
            # "Designation : ..." field is none)
            kind = "duty"
        elif kind == "employment" and _duty_since(text):
            kind = "duty"  # "Since 2021 he also coordinates the work of two junior programmers"
        elif kind == "employment" and _row_with_duties(text):
            kind = "duty"  # "Jan 11, 2016 - Aug 31, 2018    Programmer Analyst    Wrote, modified and unit-tested ..."
        elif kind is None and _not_done(text):
            kind = "other"
        elif kind is None and at_top and not unit.bulleted and CAPITALISED_LINE.match(text) and not is_duty_like(words[0]):
            kind = "other"  # a letter without a greeting opens with its employer's name, place or the title
        elif kind is None and not unit.bulleted and _first_word(text) in employer:
            kind = "company"  # "Tidewater develops fleet-tracking software for marine operators": the employer's work
        elif kind is None and foreign_sentence(text):
            kind = "other"  # the French half of a bilingual letter: the officer reads its English half
        elif kind is None and in_requirements:
            kind = "other"  # "Degree in computer science or software engineering", "Python, SQL, Power BI"
        elif kind is None and TITLE_YEARS.match(text) and not is_duty_like(words[0]):
            kind = "other"  # a position's heading; its duties follow
        elif kind is None:
            # a duty states work done: praise, company facts and chit-chat are not scored
            kind = ("duty" if len(words) >= MIN_DUTY_WORDS and (is_duty_like(body) or unit.bulleted and in_duty_list
                                                                and _list_item_duty(body)) else "other")
            if kind == "other":
                unclaimed.add(i)
        if kind == "before_body":
            kind = "letterhead"
        if kind == "letterhead" and (name := _first_word(text)) and name not in NOT_A_NAME and not is_duty_like(name):
            employer.add(name)
        if not unit.bulleted and kind != "heading":
            in_duty_list = False
        at_top = at_top and kind in ("letterhead", "contact", "date", "other")
        sentences.append(Sentence(i, text, kind, unit.line, unit.bulleted))
    return _trailing_signature(_listed_duties(sentences, unclaimed))


def _is_heading(text: str, kind: str | None) -> bool:
    """Whether a sentence that ends with a colon or "are listed below" heads what follows: a short one, or a longer
    one that no rule gave a kind, that names the duties and no title (:data:`DUTIES_HEADING_WORDS`)."""
    if not (text.endswith(":") or BELOW_HEADING.search(text)):
        return False
    words = len(text.split())
    return words <= HEADING_WORDS or (kind is None and words <= DUTIES_HEADING_WORDS and DUTY_SECTION.search(text)
                                      is not None and not find_titles(text))


def _duty_since(text: str) -> bool:
    """Whether a sentence that opens with a date ("From April 2021 onwards he was leading a team of 6
    developers") states work done since then, not a position held ("Since 2021 he has held the position of",
    "From 2016 he worked as"): read without its date, it states no employment and its verb is one of work."""
    since = LEADING_SINCE.match(text)
    if since is None:
        return False
    rest = text[since.end():]
    doing = SUBJECT_DOING.match(rest)
    return (doing is not None and doing.group("verb").lower() not in POSITION_VERBS
            and is_duty_like(doing.group("verb")) and _rule_kind(rest) is None)


def _row_with_duties(text: str) -> bool:
    """Whether a table row laid out in columns (its dates, its title, its duties) ends with a cell of duties."""
    cells = COLUMN_GAP.split(text)
    last = cells[-1]
    return (len(cells) >= 3 and len(last.split()) >= MIN_DUTY_WORDS and is_duty_like(last.split()[0])
            and not FORM_FIELD.match(text))


def _position_heading(text: str) -> bool:
    """Whether a line is a position's heading: a title and its dates ("B) Developer - 2018 to 2022")."""
    dates = POSITION_DATES.search(text)
    return (dates is not None and len(text.split()) <= POSITION_HEADING_WORDS
            and len((text[:dates.start()] + " " + text[dates.end():]).split()) <= POSITION_HEADING_TITLE_WORDS)


def _first_word(text: str) -> str:
    """A line's first word, lowercased, when it is capitalised (a name may open with it), else ""."""
    found = FIRST_NAME_WORD.match(text)
    return found.group().lower() if found and found.group()[:1].isupper() else ""


def _trailing_signature(sentences: list[Sentence]) -> list[Sentence]:
    """A letter without a closing word signs off after its last list: when the trailing run of short unbulleted
    lines holds a person's name ("Erik Lindqvist, Managing Partner", "Mark Sandhu, P.Eng."), that run, from
    after its last duty, is the signature block (a name with a title in it read as a duty: "Managing ...")."""
    if any(s.kind in ("closing", "signature") for s in sentences):
        return sentences
    start = len(sentences)
    while start > 0 and _signature_like(sentences[start - 1]):
        start -= 1
    person = next((i for i in range(start, len(sentences)) if _person_line(sentences[i].text)), None)
    if person is None:
        return sentences
    # the block also holds the short lines above the name that are no duty ("DIRECTOR", "(signed and sealed)")
    first = max((i + 1 for i in range(start, person) if sentences[i].kind == "duty"), default=start)
    return sentences[:first] + [dataclasses.replace(s, kind="signature") for s in sentences[first:]]


def _person_line(text: str) -> bool:
    """Whether a line is a person's name (and title after a comma): "Maintain Jenkins Pipelines", without one,
    is a duty in title case ("Mark Sandhu, P.Eng." has a verb for a first name)."""
    return PERSON_LINE.fullmatch(text) is not None and ("," in text or not is_duty_like(text))


def _signature_like(sentence: Sentence) -> bool:
    """A line a signature block may hold: contact details or a date (a "phone | e-mail" line's cells too), or
    a short line that is no list item and no sentence (unless a name: "Mark Sandhu, P.Eng.")."""
    text = sentence.text
    return sentence.kind in ("contact", "date") or (
        not sentence.bulleted and len(text.split()) <= BLOCK_LINE_WORDS
        and (not text.endswith(".") or _person_line(text)))


def _list_item_duty(text: str) -> bool:
    """Whether an item of a list of duties that names no verb of work still reads as one: at least
    :data:`MIN_DUTY_WORDS` words of two letters or more (not "FT 40 h") and no year (not a position's dates,
    "Data Manager (09/2022 - currently)")."""
    return len(WORD.findall(text.lower())) >= MIN_DUTY_WORDS and not YEAR.search(text)


def _listed_duties(sentences: list[Sentence], unclaimed: set[int]) -> list[Sentence]:
    """Count as duties the items of a bulleted list of duties that name no verb of work.

    Terse letters list their duties as noun phrases ("Nightly backups, DR drills", "Schematics and
    PCB layout in Altium") beside ones with verbs; a reader takes every item of such a list as a
    duty. Under a duties heading :func:`classify` already does; without one, a list is a run of
    bulleted sentences, and it is a list of duties when at least two of its items, and at least half,
    are duties. Its items that no rule classified (``unclaimed``: kind ``other`` for want of a verb)
    become duties when :func:`_list_item_duty`.
    """
    out = list(sentences)
    start = 0
    while start < len(out):
        end = start
        while end < len(out) and out[end].bulleted:
            end += 1
        duties = sum(s.kind == "duty" for s in out[start:end])
        if duties >= 2 and 2 * duties >= end - start:
            for i in range(start, end):
                s = out[i]
                if i in unclaimed and _list_item_duty(s.text):
                    out[i] = dataclasses.replace(s, kind="duty")
        start = end + 1 if end == start else end
    return out


def find_titles(text: str, heads: frozenset[str] | set[str] = DEFAULT_TITLE_HEADS,
                known: AbstractSet[str] | None = None) -> list[str]:
    """Job titles the letter states ("employed as a Senior Software Engineer", "Position: ...").

    A title runs from the cue to a stop word or punctuation and is trimmed back to its head noun
    (engineer, analyst, nurse ...), keeping a qualifier such as "Director of IT" or "Manager,
    Application Development". A title written in lower case is accepted only when it is a NOC
    example title (``known``), so that "as current engineers" is not taken for one.
    """
    found: dict[str, str] = {}  # lower-cased title → the title as first written
    position = 0
    while match := TITLE_CUE.search(text, position):
        position = match.start("t") + 1
        title = title_phrase(match.group("t"), heads)
        if not title or (known is not None and title[0].islower() and title.lower() not in known):
            continue
        found.setdefault(title.lower(), title)
    return list(found.values())


def title_phrase(raw: str, heads: frozenset[str] | set[str]) -> str:
    """The job title at the start of ``raw``: its words up to the last title head noun, with a capitalised
    "of …" or ", …" tail kept ("Director of Engineering"); "" when no word is a head noun."""
    tokens = re.findall(r"[\w/&+#'-]+|[,.;:()]", raw)
    words: list[str] = []
    for i, token in enumerate(tokens):
        if EMPLOYMENT_TYPE.match(token) and not words:
            continue
        if token == "," and not words:
            continue
        if token in ".;:(" or (token == "," and not (i + 1 < len(tokens) and tokens[i + 1][:1].isupper()
                                                      and words and title_head(words[-1]) in heads)):
            break
        if token.lower() in TITLE_STOP and token.lower() != "of" or token == ")":
            break
        words.append(token)
        if len(words) >= 9:
            break
    last_head = max((i for i, w in enumerate(words) if title_head(w) in heads), default=-1)
    if last_head < 0:
        return ""
    tail = words[last_head + 1:]
    if "," in tail[1:]:
        tail = tail[: tail.index(",", 1)]
    keep_tail = tail and tail[0] in (",", "of") and all(w[:1].isupper() or w in (",", "of", "&", "and") for w in tail[1:])
    words = words[: last_head + 1] + (tail if keep_tail else [])
    while words and (LEVEL_SUFFIX.match(words[-1]) or words[-1] in (",", "of", "and", "&")):
        words.pop()
    return " ".join(words).replace(" ,", ",")


def title_head(word: str) -> str:
    """A title's word as a head noun is compared: lower-cased, without punctuation, a plural 's' cut."""
    word = word.lower().strip(",.()")
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def parse_letter(text: str, name: str = "letter", title_heads: frozenset[str] | set[str] | None = None,
                 known_titles: AbstractSet[str] | None = None) -> ParsedLetter:
    """Segment and classify ``text``; ``title_heads`` are the head nouns of job titles and
    ``known_titles`` the lower-cased example titles (both from the catalog)."""
    sentences = classify(segment(text))
    # titles are stated outside the duties and the signature block (a signer's title is not the employee's)
    non_duty = "\n".join(s.text for s in sentences if s.kind not in ("duty", "signature"))
    heads = (title_heads if title_heads is not None and DEFAULT_TITLE_HEADS <= title_heads
             else set(title_heads or ()) | DEFAULT_TITLE_HEADS)  # the matcher passes them joined already
    titles = find_titles(non_duty, heads, known_titles) or find_titles(text, heads, known_titles)
    return ParsedLetter(text=text, sentences=sentences, titles=titles, name=name)
