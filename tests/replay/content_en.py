"""The English host's articles, described compactly; the labelling rule is the one in content_ru.

The seed article is the one a user captured from its print page (the text must match that capture).
"""

from __future__ import annotations

from tests.replay.model import Spec, parse_when


def E(section: str, slug: str, title: str, when: str, kind: str, coop: bool, extra: tuple[str, ...] = (),
      state: int = 1, **params: str) -> Spec:
    """An English replay article whose lead and body come from the templates of `kind`."""
    return Spec("en", section, slug, title, parse_when(when), kind, coop, params, extra=extra, state=state)


SEED_SLUG = "spbpu-implements-scientific-and-educational-cooperation-in-china"
SEED_TITLE = "SPbPU implements scientific and educational cooperation in China"

SEED = Spec(
    "en", "international_activities", SEED_SLUG, SEED_TITLE, parse_when("2023-11-30 15:20"), "visit_abroad", True,
    {"partner": "tsinghua"},
    lead="A number of activities aimed at maintaining and developing Polytechnic University's partnerships with "
         "Chinese universities and companies are currently being implemented in China. On November 13, a delegation "
         "of SPbPU headed by Rector, Academician of the RAS Andrei Rudskoi visited modern high-tech companies with "
         "which the university plans to build long-term cooperation.",
    body=(
        "!img SPbPU delegation in Zhanjiang Science City",
        "They discussed with Zhanjiang Management Company the directions of scientific and educational cooperation "
        "with universities, enterprises, industrial and innovation companies from Zhanjiang Science City, as well as "
        "the establishment of joint laboratories and centers for applied development. The management company solves "
        "the tasks of developing the innovation and investment ecosystem of Zhanjiang Science City.",
        "It brings together 24,000 companies, 150 research institutes, 58 offices of multinational corporations, and "
        "20 universities and research institutes. More than 400,000 highly qualified specialists work there.",
        "!img At the National Innovation Center of Excellence of the Yangtze River Delta",
        "Representatives of Polytechnic University visited the National Innovation Center of Excellence of the "
        "Yangtze River Delta (NICE), cooperation with which will significantly expand the range of projects already "
        "implemented with JITRI and NICE. The Jiangsu Industrial Technology Research Institute (JITRI) is a leading "
        "applied research organization in China that promotes the study and commercialization of industrial "
        "technology advances in science and technology. JITRI is a key organization of NICE.",
        "Tan Ruicong, Deputy Director of the National Innovation Center of Excellence, welcomed our delegation. He "
        "congratulated Andrei Rudskoi on his election as Chairman of the St. Petersburg Branch of the Russian "
        "Academy of Sciences:",
        "> This means that the scope of our future cooperation will extend from the school to the Academy of "
        "Sciences. This is the deeper partnership that everyone is looking forward to. I hope everyone will "
        "contribute to regional scientific research, industry and economy.",
        "!img Tan Ruicong and Andrei Rudskoi",
        "In 2021, SPbPU, NICE, which is an innovation platform supported by the Ministry of Science and Technology "
        "of the PRC, and JITRI signed a memorandum of cooperation on applied industrial research, technological "
        "innovation and development in the Yangtze River Delta region.",
        "In 2022, SPbPU and JITRI signed an agreement to cooperate and establish the SPbPU International Office of "
        "Global Innovation Cooperation at the Jiangsu Industrial Technology Research Institute in Nanjing, Jiangsu "
        "Province. In October 2023, Li Lianying, Chief Operating Officer of the Overseas Cooperation Department of "
        "the National Innovation Center of Excellence of Jiangsu Research Institute of Industrial Technology, paid a "
        "working visit to SPbPU.",
        "At the meeting with representatives of the university, Li Lianying noted the importance of supporting "
        "ongoing projects, research and development. Involvement of companies and research institutes will help "
        "young scientists not only to develop, but also to implement their ideas in practice. Within the framework "
        "of the Polytechnic University delegation's visit to China, the first agreement on a joint program to "
        "support the scientific activities of young scientists (postgraduates) of Higher School of Power "
        "Engineering with Tsinghua Automotive Strategy Research Institute (TASRI) was concluded.",
    ),
)

_INT = "international_activities"

OLDER = [
    E(_INT, "spbpu-and-tsinghua-university-signed-a-cooperation-agreement",
      "SPbPU and Tsinghua University signed a cooperation agreement", "2024-09-26 14:10", "agreement", True,
      partner="tsinghua", topic="in energy and artificial intelligence"),
    E("sport", "polytechnic-volleyball-team-won-the-rectors-cup", "Polytechnic volleyball team won the Rector's Cup",
      "2024-09-19 18:30", "sport_team", False, team="The Polytechnic volleyball team"),
    E(_INT, "delegation-of-harbin-institute-of-technology-visited-polytechnic-university",
      "Delegation of Harbin Institute of Technology visited Polytechnic University", "2024-09-12 12:45",
      "delegation_in", True, partner="harbin"),
    E("studencheskaya_zhizn", "more-than-five-thousand-freshmen-were-initiated-into-students",
      "More than five thousand freshmen were initiated into students", "2024-09-05 17:00", "student", False),
    E(_INT, "joint-laboratory-with-shanghai-jiao-tong-university-opened-at-spbpu",
      "Joint laboratory with Shanghai Jiao Tong University opened at SPbPU", "2024-08-22 11:30", "joint_lab", True,
      partner="sjtu", topic="in digital manufacturing"),
    E("nauka_i_innovatsii", "spbpu-scientists-developed-a-new-alloy-for-aircraft-engines",
      "SPbPU scientists developed a new alloy for aircraft engines", "2024-08-08 10:00", "science", False,
      field="heat-resistant alloys"),
    E(_INT, "international-students-celebrated-the-festival-of-cultures",
      "International students celebrated the Festival of Cultures", "2024-07-18 16:00", "intl_student", False),
    E("achievements", "spbpu-rose-in-the-raex-ranking", "SPbPU rose in the RAEX ranking", "2024-07-04 09:30",
      "achievement", False),
    E(_INT, "spbpu-delegation-visited-universities-of-kazakhstan", "SPbPU delegation visited universities of Kazakhstan",
      "2024-06-27 10:00", "visit_abroad", True, partner="satbayev"),
    E("education", "new-masters-programs-in-artificial-intelligence-launched",
      "New master's programs in artificial intelligence launched", "2024-06-13 12:00", "education", False),
    E(_INT, "memorandum-of-understanding-with-hanoi-university-of-science-and-technology",
      "Memorandum of understanding with Hanoi University of Science and Technology", "2024-05-30 10:30",
      "memorandum", True, partner="hanoi"),
    E("studencheskaya_zhizn", "polytechnic-students-became-laureates-of-student-spring",
      "Polytechnic students became laureates of Student Spring", "2024-05-16 19:00", "student", False),
    E(_INT, "spbpu-and-iit-delhi-launch-a-joint-research-project", "SPbPU and IIT Delhi launch a joint research project",
      "2024-04-25 11:10", "agreement", True,
      extra=("The two universities have signed three agreements since 2021, and the new project builds on all "
             "of them.",), partner="iit", topic="in new materials"),
    E("education", "engineering-class-students-paid-a-visit-to-spbpu-laboratories",
      "Engineering class students paid a visit to SPbPU laboratories", "2024-04-11 14:00", "school_visit", False,
      school="engineering classes of St. Petersburg"),
    E(_INT, "summer-school-of-russian-language-for-international-applicants",
      "Summer school of Russian language for international applicants", "2024-03-14 17:00", "intl_student", False),
    E("sport", "spbpu-swimmers-won-medals-at-the-universiade", "SPbPU swimmers won medals at the Universiade",
      "2024-03-28 18:20", "sport", False, sport="swimming"),
    E("nauka_i_innovatsii", "spbpu-supercomputer-entered-the-top-50-rating",
      "SPbPU supercomputer entered the Top 50 rating", "2024-02-29 12:00", "science", False,
      field="high-performance computing"),
    E(_INT, "polytechnic-university-and-bntu-discussed-network-programs",
      "Polytechnic University and BNTU discussed network programs", "2024-02-15 13:45", "visit_abroad", True,
      partner="bntu"),
    E(_INT, "spbpu-took-part-in-the-russian-education-fair-in-tashkent",
      "SPbPU took part in the Russian Education fair in Tashkent", "2024-01-25 10:20", "visit_abroad", True,
      partner="tashkent"),
    E("partnership", "spbpu-and-rosatom-signed-an-agreement-on-staff-training",
      "SPbPU and Rosatom signed an agreement on staff training", "2024-01-18 13:00", "industry", True,
      partner="rosatom", topic="in nuclear energy"),
    E("politech-media", "polytechnic-from-the-inside-podcast-episode-on-laboratories",
      "Polytechnic from the inside: podcast episode on laboratories", "2023-12-21 12:00", "media", False),
    E(_INT, "spbpu-and-cairo-university-agreed-on-double-degree-programs",
      "SPbPU and Cairo University agreed on double degree programs", "2023-12-14 11:45", "agreement", True,
      partner="cairo"),
    E(_INT, "russian-chinese-youth-forum-of-engineers-held-at-spbpu",
      "Russian-Chinese youth forum of engineers held at SPbPU", "2023-11-09 15:30", "forum_intl", True,
      partner="sjtu", country="China"),
    E(_INT, "delegation-of-mongolian-university-of-science-and-technology-visited-spbpu",
      "Delegation of Mongolian University of Science and Technology visited SPbPU", "2023-10-19 11:00",
      "delegation_in", True, partner="mongolia"),
    E("other", "restoration-of-the-assembly-hall-completed", "Restoration of the Assembly Hall completed",
      "2023-10-05 15:00", "other", False),
]

STATE2 = [
    E(_INT, "spbpu-signed-an-agreement-with-nanjing-university-of-aeronautics-and-astronautics",
      "SPbPU signed an agreement with Nanjing University of Aeronautics and Astronautics", "2024-09-30 11:00",
      "agreement", True, state=2, partner="nuaa", topic="in aircraft engine engineering"),
    E("sport", "polytechnic-rowers-won-the-city-regatta", "Polytechnic rowers won the city regatta",
      "2024-09-30 16:10", "sport", False, state=2, sport="rowing"),
]

EDIT = None  # the English host has no edited article in state 2

ARTICLES = [SEED] + OLDER + STATE2
