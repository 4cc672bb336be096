"""Built-in Xing members."""

from __future__ import annotations

from sourcer.proto.records import Platform
from sourcer.simulator.model import SimProfile, job, lang, member, school, ym

XI = Platform.XING


def xing_members() -> list[SimProfile]:
    # fmt: off
    return [
        member(
            XI, "Thomas_Mueller", "Thomas Müller", first="Thomas", last="Müller",
            ui_language="de", headline="Senior Java-Entwickler bei Allianz Technology",
            location="Hamburg, Deutschland",
            emails=("thomas.mueller@allianz.example", "Thomas.Mueller@Allianz.example",
                    "t.mueller@posteo.example"),
            about="Backend-Entwicklung mit Java und Kotlin seit über zehn Jahren.",
            experience=[
                job("Senior Java-Entwickler", "Allianz Technology SE", ym(2020, 1),
                    kind="Festanstellung", location="Hamburg",
                    description="Microservices für die Schadenabwicklung."),
                job("Java-Entwickler", "Otto Group", ym(2015, 4), ym(2019, 12),
                    kind="Festanstellung", location="Hamburg"),
                job("Werkstudent Softwareentwicklung", "Airbus", ym(2012, 10), ym(2015, 3),
                    kind="Werkstudent", location="Hamburg-Finkenwerder"),
            ],
            education=[
                school("Technische Universität Hamburg", "Master of Science", "Informatik",
                       ym(2012, 10), ym(2015, 3)),
                school("Universität Bremen", "Bachelor of Science", "Informatik",
                       ym(2009, 10), ym(2012, 9)),
            ],
            skills=["Java", "Kotlin", "Spring Boot", "Apache Kafka", "Scrum"],
            languages=[lang("Deutsch", "Muttersprache"), lang("Englisch", "Fließend")],
        ),
        member(
            XI, "Sophie_Martin2", "Sophie Martin", first="Sophie", last="Martin",
            headline="Product Designer", location="Vienna, Austria", share_email=False,
            emails=("sophie@example.at",),
            experience=[
                job("Product Designer", "Runtastic", ym(2019), kind="Full-time"),
                job("UX Designer", "Bwin", ym(2016), ym(2019)),
            ],
            education=[school("Universität für angewandte Kunst Wien", "Master of Arts",
                              "Design", ym(2011), ym(2016))],
            languages=[lang("French", "First language"), lang("German", "Fluent"),
                       lang("English", "Fluent")],
        ),
        member(
            XI, "Katharina_vonundzuStein", "Dipl.-Ing. Katharina von und zu Stein",
            first="Katharina", last="von und zu Stein", ui_language="de",
            headline="Projektleiterin Anlagenbau", location="Stuttgart, Deutschland",
            emails=("k.stein@anlagenbau.example",),
            experience=[
                job("Projektleiterin", "Dürr AG", ym(2017, 2), kind="Festanstellung",
                    location="Bietigheim-Bissingen"),
                job("Projektingenieurin", "Dürr AG", ym(2013, 9), ym(2017, 1),
                    kind="Festanstellung", location="Bietigheim-Bissingen"),
                job("Trainee", "Porsche AG", ym(2012, 4), ym(2013, 8), kind="Trainee"),
            ],
            education=[school("Universität Stuttgart", "Diplom-Ingenieurin",
                              "Maschinenbau", ym(2006, 10), ym(2012, 3))],
            skills=["Projektmanagement", "SAP PS", "Anlagenbau"],
            languages=[lang("Deutsch", "Muttersprache"), lang("Englisch", "Gute Kenntnisse"),
                       lang("Französisch", "Grundkenntnisse")],
        ),
        member(
            XI, "Felix_Braun7", "Felix Braun", first="Felix", last="Braun", ui_language="de",
            headline="Vertriebsleiter", location="Leipzig, Deutschland", private=True,
            experience=[job("Vertriebsleiter", "Mitteldeutsche Medien GmbH", ym(2018, 1))],
        ),
    ]
    # fmt: on
