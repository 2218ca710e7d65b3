"""English sentence templates per kind of news; placeholders come from a spec's params and PARTNERS."""

from __future__ import annotations

PARTNERS: dict[str, dict[str, str]] = {
    "tsinghua": dict(p="Tsinghua University", country="China", city="Beijing"),
    "harbin": dict(p="Harbin Institute of Technology", country="China", city="Harbin"),
    "sjtu": dict(p="Shanghai Jiao Tong University", country="China", city="Shanghai"),
    "nuaa": dict(p="Nanjing University of Aeronautics and Astronautics", country="China", city="Nanjing"),
    "bntu": dict(p="Belarusian National Technical University", country="Belarus", city="Minsk"),
    "cairo": dict(p="Cairo University", country="Egypt", city="Cairo"),
    "hanoi": dict(p="Hanoi University of Science and Technology", country="Vietnam", city="Hanoi"),
    "iit": dict(p="the Indian Institute of Technology Delhi", country="India", city="New Delhi"),
    "satbayev": dict(p="Satbayev University", country="Kazakhstan", city="Almaty"),
    "mongolia": dict(p="the Mongolian University of Science and Technology", country="Mongolia",
                     city="Ulaanbaatar"),
    "tashkent": dict(p="Tashkent State Technical University", country="Uzbekistan", city="Tashkent"),
    "rosatom": dict(p="Rosatom State Corporation", country="Russia", city="Moscow"),
}

DEFAULTS: dict[str, str] = dict(
    p="a partner university", country="the partner country", city="St. Petersburg",
    topic="in engineering education and applied research", head="the Vice-Rector for International Affairs",
    sport="volleyball", team="The Polytechnic team", field="materials science", school="Vyborgsky district",
)

_COOP_P = [
    "The parties discussed cooperation {topic}, academic mobility programs and joint publications. Special "
    "attention was paid to training engineers for high-tech industries.",
    "The document provides for student and faculty exchanges, joint summer schools and double degree programs. "
    "The first students will be able to study under the agreement as early as next year.",
    "More than 8,000 international students from 136 countries study at Polytechnic University today. The "
    "university keeps expanding its network of partners, and {p} holds a special place in it.",
    "Representatives of {p} visited the laboratories of the Technopolis Polytech research building and the "
    "Advanced Engineering School. The guests noted the level of equipment and the team's openness to cooperation.",
    "Following the meeting, the parties agreed to form a working group that will prepare a roadmap of joint "
    "projects for the next three years.",
    "The partnership with {p} has been developing since 2019: more than 200 students and postgraduates have "
    "completed internships, and dozens of joint papers have been published.",
]

KINDS: dict[str, dict[str, list[str]]] = {
    "agreement": dict(
        lead=["Peter the Great St. Petersburg Polytechnic University and {p} signed an agreement on cooperation "
              "{topic}."],
        p=_COOP_P + ["The agreement was signed by SPbPU Rector Andrei Rudskoi and the leadership of {p} in the "
                     "White Hall of the Main Building. It continues a series of agreements concluded this year."],
        h=["Areas of cooperation"],
        items=["academic mobility of students and staff", "joint master's programs", "joint research and publications",
               "summer and winter schools"],
        quote=["This agreement opens a new page in the history of our relations, noted {head}."],
        caption=["Signing of the agreement", "Participants of the ceremony"],
    ),
    "delegation_in": dict(
        lead=["A delegation of {p} visited Polytechnic University. The guests from {city} discussed the development "
              "of cooperation with the SPbPU leadership."],
        p=_COOP_P,
        h=["The visit program"],
        items=["a meeting with the SPbPU Rector", "a tour of the Technopolis Polytech laboratories",
               "negotiations on joint educational programs"],
        quote=["We highly appreciate the experience of Polytechnic University and are ready to expand our joint work, "
               "said the head of the delegation."],
        caption=["The delegation of {p} at SPbPU", "Guests in the research building"],
    ),
    "visit_abroad": dict(
        lead=["A delegation of Peter the Great St. Petersburg Polytechnic University paid a working visit to "
              "{country}. In {city}, the Polytechnic team held talks with the leadership of {p}."],
        p=_COOP_P,
        h=["Results of the trip"],
        items=["a cooperation roadmap was signed", "SPbPU programs were presented", "meetings with alumni"],
        quote=["Our universities share a common goal: to train engineers for the real economy, said {head}."],
        caption=["SPbPU delegation in {city}", "Negotiations"],
    ),
    "memorandum": dict(
        lead=["Peter the Great St. Petersburg Polytechnic University and {p} signed a memorandum of understanding."],
        p=_COOP_P,
        h=["Next steps"],
        items=["exchange of curricula", "joint online courses", "internships for postgraduates"],
        quote=["The memorandum is the first step, and concrete joint projects will follow, noted {head}."],
        caption=["Signing of the memorandum", "After the ceremony"],
    ),
    "joint_lab": dict(
        lead=["A joint laboratory of SPbPU and {p} opened at Polytechnic University. It will conduct research {topic}."],
        p=_COOP_P,
        h=["Tasks of the laboratory"],
        items=["fundamental and applied research", "training of postgraduates", "technology transfer"],
        quote=["A joint laboratory is the best format of cooperation between scientists of two countries, "
               "believes {head}."],
        caption=["Opening of the joint laboratory", "In the new laboratory"],
    ),
    "forum_intl": dict(
        lead=["An international forum bringing together universities of Russia and {country} took place at SPbPU."],
        p=_COOP_P,
        h=["Results of the forum"],
        items=["cooperation agreements were signed", "joint research plans were agreed"],
        quote=["The forum showed how many common tasks we have, stressed {head}."],
        caption=["Forum participants", "Plenary session"],
    ),
    "intl_student": dict(
        lead=["International students of Polytechnic University took part in a celebration that has become a "
              "good tradition."],
        p=["National courtyards were set up on the campus, where students presented the cuisine, music and dances "
           "of their peoples.",
           "The event was organized by the Institute of International Educational Programs and student communities.",
           "For many freshmen the celebration became their first acquaintance with university life.",
           "The evening ended with a concert of the Polytechnic creative groups."],
        h=["How it went"],
        items=["national courtyards", "master classes", "a concert"],
        quote=["I feel at home here, said a first-year student."],
        caption=["Participants of the celebration", "At one of the courtyards"],
    ),
    "sport": dict(
        lead=["Polytechnic athletes performed successfully at the {sport} competitions and won prizes."],
        p=["The competitions lasted three days and brought together teams of twelve universities of St. Petersburg.",
           "The coaches noted the high level of the students and thanked the fans for their support.",
           "The Polytechnic sports club unites more than forty sections open to all students.",
           "The next start of the team is scheduled for the end of the month."],
        h=["Results"],
        items=["first place in the team event", "two silver medals", "the audience award"],
        quote=["The students showed character and the will to win, said the head coach."],
        caption=["The Polytechnic team", "A moment of the game"],
    ),
    "sport_team": dict(
        lead=["{team} won a confident victory in the first match of the season."],
        p=["The coach noted that team cooperation on the court was the key to success: the players understood "
           "each other perfectly.",
           "Fans filled the stands of the Polytechnic sports complex.",
           "During the off-season the team held two training camps and was joined by three freshmen.",
           "The sports club invites students to open training sessions."],
        h=["What's next"],
        items=["an away match next week", "open training sessions on Wednesdays"],
        quote=["There are no victories without cooperation within the team, said the captain."],
        caption=["The team after the match", "On the court"],
    ),
    "student": dict(
        lead=["One of the brightest events of student life took place at Polytechnic University."],
        p=["The event was organized by the student council and the student trade union.",
           "Participants tried themselves in different roles and got to know student clubs.",
           "In the evening, a concert gathered a full hall.",
           "Photos from the event are already available in the official university communities."],
        h=["How it went"],
        items=["quests around the campus", "a fair of student clubs", "a concert"],
        quote=["Polytech is not only about studying, but also about people, said the organizer."],
        caption=["Participants of the event", "Student concert"],
    ),
    "school_visit": dict(
        lead=["Schoolchildren from {school} paid a visit to Polytechnic University and toured its laboratories."],
        p=["The students saw industrial robots at work and tried themselves as engineers.",
           "The tour was conducted by volunteer students of the admissions office.",
           "A master class on microcontroller programming was also organized for the guests.",
           "Such visits help high school students choose their future profession."],
        h=["The tour program"],
        items=["the robotics laboratory", "the Polytechnic museum", "a programming master class"],
        quote=["Now I know exactly where I will apply, said one of the schoolgirls."],
        caption=["Schoolchildren in the laboratory", "A tour of the campus"],
    ),
    "science": dict(
        lead=["Polytechnic scientists obtained new results in {field}."],
        p=["The study was carried out within a Russian Science Foundation project.",
           "The results were published in a leading first-quartile journal.",
           "The development has passed laboratory tests; the next stage is pilot production.",
           "Postgraduate and master's students took part in the work."],
        h=["How it works"],
        items=["mathematical modeling", "laboratory tests", "a prototype"],
        quote=["We have been working towards this result for several years, says the project leader."],
        caption=["In the laboratory", "The project leader"],
    ),
    "education": dict(
        lead=["Polytechnic University continues to develop its educational programs."],
        p=["The programs were developed together with leading employers of the industry.",
           "Teaching is based on project work and practice in university laboratories.",
           "Graduates will acquire competencies in demand in the digital economy.",
           "Details on admission are available on the admissions office website."],
        h=["What to know"],
        items=["full-time study", "state-funded and paid places", "internships with employers"],
        quote=["We train specialists that industry is waiting for, notes the director of the institute."],
        caption=["In class", "Students in the laboratory"],
    ),
    "achievement": dict(
        lead=["Polytechnic University achieved a new significant result."],
        p=["The award was presented at a solemn ceremony.",
           "This is not the first victory of the university team.",
           "The competition is held annually and brings together the strongest teams of the country.",
           "The university congratulates colleagues on their well-deserved success."],
        h=["About the competition"],
        items=["more than 300 applications", "participants from 50 regions"],
        quote=["This is the result of the coordinated work of the whole team, stressed the leader."],
        caption=["The award ceremony", "The winners"],
    ),
    "media": dict(
        lead=["We continue to tell stories about the people of Polytechnic University."],
        p=["The heroes of the project share how they came to the university and what they do today.",
           "The episode features memories of student years, first experiments and mentors.",
           "The project is produced by the Polytechnic media center."],
        h=["About the project"],
        items=["interviews", "archive photos", "video stories"],
        quote=["Polytech became a second home for our family, admits the heroine of the episode."],
        caption=["Heroes of the episode", "From the family archive"],
    ),
    "industry": dict(
        lead=["Polytechnic University and {p} concluded an agreement on cooperation {topic}."],
        p=["The document provides for targeted training and joint research.",
           "Students will be able to do internships at the partner's enterprises.",
           "The partner will also support the modernization of teaching laboratories.",
           "Polytechnic University cooperates with more than 300 industrial partners."],
        h=["What the agreement gives"],
        items=["targeted training", "internships", "joint research"],
        quote=["For us, this is a long-term partnership, stressed a representative of {p}."],
        caption=["Signing of the agreement", "Representatives of the parties"],
    ),
    "other": dict(
        lead=["An event took place at Polytechnic University that left no one indifferent."],
        p=["The event was prepared by the staff of the Fundamental Library and the university museum.",
           "The exhibition is open on weekdays from 10 a.m. to 6 p.m.",
           "The history of the university spans 125 years.",
           "The organizers thank everyone who helped."],
        h=["How to get there"],
        items=["with a student ID", "with a staff pass", "by appointment"],
        quote=["We want the history of Polytech to be open to everyone, says the museum director."],
        caption=["The exhibition", "Visitors"],
    ),
}
