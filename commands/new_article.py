"""The skeleton `invoke new` writes: one source, also for the check's ``scaffold-left``.

Only data: plugins/content_check/scaffold.py reads this file by path, without importing the
commands.
"""

NEW_ARTICLE_TEMPLATE = """\
Title: {title}
Slug: {slug}
Date: {today}
Category: {category}
Tags: {tag}
Summary: Say in 1 or 2 short sentences what this page answers (160 characters at most).
Author: editorial-team
Reviewed_by:
Last_reviewed:
Next_review:
Status: draft

!!! key-points "Key points"
    - The one main message first, in one short sentence.
    - What the reader most needs to know.
    - What the reader can do.

Start with 1 or 2 sentences that tell the reader what this page covers and who it is for.
Use "you", short sentences and plain words first, then the medical term.

## What is it?

Explain it in plain words. Put a footnote after every sentence that states a fact.[^source1]

## Who might it help?

Say what the evidence shows, how strong it is, and what is still uncertain.[^source1]

## What are the risks?

List side effects people may get, and who should not have this treatment.[^source1]

!!! care-urgent "Call your doctor today if:"
    - you have a new symptom that worries you

!!! care-emergency "Call 911 if:"
    - you have chest pain or trouble breathing

## What is not known yet

Say what studies have not shown yet, and why.[^source1]

## Questions to ask your care team

- Is this treatment right for me?
- What other options do I have?

## What to do next

Tell the reader what to do now, and when to contact the care team.

[^source1]: Author A, Author B. Title of the study. *Journal*. Year;volume(issue):pages.
    doi:10.xxxx/xxxxx
"""
