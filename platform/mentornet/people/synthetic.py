"""Synthetic participants for the demo: plausible enough to match, report and browse, and
nobody real.

``generate`` turns a tenant's settings and a seeded ``random.Random`` into dicts of
Participant attributes. It is pure (no app, no database, no clock: ``today`` is given), so
the same seed gives the same people on any machine, and the demo command, the tests and
the benchmarks can share it.

Why it looks the way it does:

- Only what the tenant collects is filled (``settings.profile.fields``), as a real sign-up
  form would; the demo must not show data a programme promised not to ask for.
- Who signs up differs per programme, so the weights do too (``PROGRAMMES``): Denmark's
  mentees come from the countries KVINFO published as its top ten; Toronto's are skilled
  immigrants of any gender; Morocco's are women entrepreneurs.
- Texts are composed from small phrase banks written for this module, in the person's
  preferred locale; names are composed from first- and last-name lists for her origin.
  Nothing is copied from real profiles, and the addresses are under reserved domains
  (example.org / example.net, RFC 2606), so no mail can reach anyone.
- Nothing about religion or ethnicity: origin is a country and drives only names,
  languages and the country field the tenant may collect.

This is data, not UI: no gettext here.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any, TypeVar

from babel import Locale

from mentornet.people.classifications import isced_fields, isco, normalize
from mentornet.people.vocabulary import (
    BUSINESS_STAGES,
    GOALS,
    HELPS_WITH,
    INTERESTS,
    LANGUAGES,
    SECTORS,
)
from mentornet.tenancy.settings_schema import IntakeQuestion, TenantSettings, localized

__all__ = ["PROGRAMMES", "Programme", "generate"]

K = TypeVar("K")

MENTEE_DOMAIN = "example.org"
MENTOR_DOMAIN = "example.net"
MIN_AGE, MAX_AGE = 18, 68
MENTOR_MIN_AGE = 28
MAX_READY_DAYS = 400
HISTORY_DAYS = 3 * 365
# Text questions keep to the form's limits (forms.py: 500 for text, 5000 for long text).
TEXT_MAX, LONG_TEXT_MAX = 500, 5000


# --- names --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamePool:
    """First and last names plausible for people from one place; women's and men's lists."""

    women: tuple[str, ...]
    men: tuple[str, ...]
    last: tuple[str, ...]
    # Where surnames take a man's form (Polish -ski/-ska, Russian -ov/-ova, ...).
    last_men: tuple[str, ...] = ()


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


NAME_POOLS: dict[str, NamePool] = {
    "dk": NamePool(
        _names("Anne, Mette, Kirsten, Hanne, Susanne, Lene, Camilla, Louise, Maria, Charlotte, "
               "Pia, Tina, Helle, Marianne, Karen, Sofie, Julie, Ida, Birgitte, Lone, Rikke, "
               "Trine, Malene, Signe"),
        _names("Søren, Lars, Jens, Mikkel, Anders, Henrik, Thomas, Rasmus"),
        _names("Nielsen, Jensen, Hansen, Pedersen, Andersen, Christensen, Larsen, Sørensen, "
               "Rasmussen, Jørgensen, Petersen, Madsen, Kristensen, Olsen, Thomsen, Poulsen, "
               "Mortensen, Holm, Lund, Frederiksen, Bach, Skov"),
    ),
    "no": NamePool(
        _names("Ingrid, Kari, Anne, Marit, Hilde, Silje, Ingvild, Ragnhild, Tone, Kristin, "
               "Nora, Ida, Solveig, Hanne, Siri, Astrid, Guro, Live"),
        _names("Ola, Knut, Håkon, Eirik, Magnus, Sindre, Trond"),
        _names("Hansen, Johansen, Olsen, Larsen, Andersen, Pedersen, Nilsen, Kristiansen, "
               "Jensen, Karlsen, Johnsen, Pettersen, Eriksen, Berg, Haugen, Hagen, Dahl, Lie, "
               "Bakken, Solberg, Moen, Strand"),
    ),
    "is": NamePool(
        _names("Guðrún, Sigríður, Kristín, Anna, Margrét, Helga, Sigrún, Ingibjörg, Jóhanna, "
               "Ragnheiður, Hildur, Katrín, Þórunn, Ásta, Elín, Sólveig, Birna, Edda"),
        _names("Jón, Sigurður, Guðmundur, Gunnar, Einar, Ólafur, Kristján"),
        _names("Jónsdóttir, Sigurðardóttir, Guðmundsdóttir, Einarsdóttir, Kristjánsdóttir, "
               "Magnúsdóttir, Ólafsdóttir, Stefánsdóttir, Helgadóttir, Björnsdóttir, "
               "Gunnarsdóttir, Árnadóttir, Pálsdóttir, Þórsdóttir"),
        _names("Jónsson, Sigurðsson, Guðmundsson, Einarsson, Kristjánsson, Magnússon, "
               "Ólafsson, Stefánsson, Helgason, Björnsson, Gunnarsson, Árnason"),
    ),
    "ma": NamePool(
        _names("Fatima Zahra, Khadija, Meryem, Salma, Nadia, Hanane, Samira, Latifa, Zineb, "
               "Imane, Houda, Asmaa, Soukaina, Loubna, Ghizlane, Naima"),
        _names("Youssef, Mehdi, Hamza, Karim, Omar, Rachid, Anas"),
        _names("Benali, El Amrani, Alaoui, Bennani, El Idrissi, Tazi, Berrada, Chraibi, El Fassi, "
               "Ouazzani, Benjelloun, Lahlou, Saidi, Bouzid, Tahiri, El Mansouri"),
    ),
    "ca": NamePool(
        _names("Emily, Sarah, Jessica, Megan, Lauren, Olivia, Chloé, Jennifer, Amanda, Rebecca, "
               "Nathalie, Heather, Stephanie, Julie"),
        _names("Michael, David, James, Ryan, Matthew, Daniel, Kevin, Jason, Mark, Andrew, "
               "Marc-André, Patrick"),
        _names("Smith, Brown, Tremblay, Martin, Roy, Wilson, MacDonald, Gagnon, Taylor, Campbell, "
               "Anderson, Leblanc, Thompson, Clarke, Lee, Wong, Fraser, Bouchard"),
    ),
    "arabic": NamePool(
        _names("Zainab, Noor, Rana, Hiba, Shaima, Sara, Maryam, Lina, Dalia, Huda, Rasha, Ruqaya, "
               "Rama, Ghalia, Lama, Yara, Reem, Aya, Hanan, Amal"),
        _names("Ahmed, Mohammed, Ali, Hussein, Omar, Khaled, Yasser, Tarek, Bassam, Rami"),
        _names("Hassan, Al-Jaburi, Kareem, Abbas, Jasim, Mahmoud, Al-Tamimi, Salih, Kadhim, "
               "Ibrahim, Haddad, Khoury, Darwish, Hamdan, Sabbagh, Othman, Saleh, Nasser"),
    ),
    "kurdish": NamePool(
        _names("Shilan, Nazdar, Dilan, Rojin, Avin, Berivan, Shno, Helin, Viyan, Gulistan"),
        _names("Karwan, Rebwar, Aram, Shwan, Dilshad, Serdar"),
        _names("Rashid, Ahmed, Mustafa, Aziz, Hama, Qadir, Salih, Faraj"),
    ),
    "persian": NamePool(
        _names("Maryam, Shirin, Nasrin, Leila, Parisa, Mahsa, Niloufar, Azadeh, Fereshteh, "
               "Golnar, Roya, Sepideh, Mina, Ladan"),
        _names("Reza, Ali, Mehdi, Hamid, Amir, Babak, Kaveh, Saeed, Arash, Farhad"),
        _names("Ahmadi, Hosseini, Karimi, Rezaei, Moradi, Mohammadi, Hashemi, Rahimi, Jafari, "
               "Sadeghi, Tehrani, Kazemi, Shirazi, Farahani"),
    ),
    "afghan": NamePool(
        _names("Farzana, Mariam, Zahra, Fatima, Nargis, Shabnam, Parwana, Freshta, Sadaf, Mursal, "
               "Nilofar, Hasina"),
        _names("Ahmad, Mohammad, Jawid, Naweed, Farid, Hamid, Wahid"),
        _names("Ahmadzai, Noori, Rahimi, Sultani, Hakimi, Amiri, Haidari, Stanekzai, Popal, "
               "Wardak, Sharifi, Safi"),
    ),
    "russian": NamePool(
        _names("Olga, Natalia, Elena, Irina, Tatiana, Svetlana, Anna, Ekaterina, Yulia, Marina, "
               "Anastasia, Ksenia, Daria, Valentina"),
        _names("Sergei, Dmitri, Alexei, Ivan, Andrei, Mikhail, Nikolai"),
        _names("Ivanova, Smirnova, Kuznetsova, Popova, Volkova, Sokolova, Morozova, Petrova, "
               "Lebedeva, Novikova, Fedorova, Orlova"),
        _names("Ivanov, Smirnov, Kuznetsov, Popov, Volkov, Sokolov, Morozov, Petrov, Lebedev, "
               "Novikov, Fedorov, Orlov"),
    ),
    "ukrainian": NamePool(
        _names("Oksana, Olena, Iryna, Natalia, Yulia, Tetiana, Halyna, Kateryna, Svitlana, "
               "Viktoria, Anastasiia, Mariia, Liudmyla, Khrystyna"),
        _names("Oleksandr, Andrii, Serhii, Dmytro, Volodymyr, Taras, Bohdan"),
        _names("Kovalenko, Bondarenko, Shevchenko, Tkachenko, Kravchenko, Melnyk, Boiko, "
               "Oliinyk, Lysenko, Marchenko, Savchenko, Rudenko, Moroz, Polishchuk"),
    ),
    "polish": NamePool(
        _names("Agnieszka, Katarzyna, Małgorzata, Anna, Magdalena, Joanna, Monika, Ewa, "
               "Aleksandra, Karolina, Dorota, Justyna, Marta, Beata"),
        _names("Piotr, Tomasz, Paweł, Krzysztof, Marcin, Michał, Łukasz"),
        _names("Kowalska, Nowak, Wiśniewska, Wójcik, Kamińska, Lewandowska, Zielińska, "
               "Szymańska, Woźniak, Dąbrowska, Kozłowska, Mazur, Krawczyk"),
        _names("Kowalski, Nowak, Wiśniewski, Wójcik, Kamiński, Lewandowski, Zieliński, "
               "Szymański, Woźniak, Dąbrowski, Kozłowski, Mazur, Krawczyk"),
    ),
    "lithuanian": NamePool(
        _names("Rasa, Jurgita, Kristina, Agnė, Inga, Laura, Ieva, Rūta, Eglė, Giedrė"),
        _names("Tomas, Mindaugas, Darius, Andrius, Paulius"),
        _names("Kazlauskienė, Jankauskaitė, Petrauskienė, Stankevičiūtė, Vasiliauskienė, "
               "Žukauskaitė, Butkienė, Paulauskaitė"),
        _names("Kazlauskas, Jankauskas, Petrauskas, Stankevičius, Vasiliauskas, Žukauskas, "
               "Butkus, Paulauskas"),
    ),
    "latvian": NamePool(
        _names("Dace, Ilze, Sandra, Inese, Kristīne, Līga, Anita, Zane"),
        _names("Jānis, Andris, Māris, Edgars"),
        _names("Bērziņa, Kalniņa, Ozola, Liepiņa, Krūmiņa, Jansone, Balode"),
        _names("Bērziņš, Kalniņš, Ozols, Liepiņš, Krūmiņš, Jansons, Balodis"),
    ),
    "chinese": NamePool(
        _names("Xiaoling, Mei, Jing, Yan, Lina, Hui, Fang, Yu, Ying, Xin, Lei, Qian, Yuting, "
               "Shu, Wenjing"),
        _names("Wei, Jun, Hao, Bo, Tao, Jian, Zhiqiang, Peng, Yong"),
        _names("Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun, Ma, Zhu, Hu, "
               "Lin"),
    ),
    "turkish": NamePool(
        _names("Ayşe, Fatma, Elif, Zeynep, Emine, Hatice, Merve, Büşra, Esra, Derya, Gülsen, "
               "Sibel, Özlem, Melek"),
        _names("Mehmet, Mustafa, Ahmet, Emre, Murat, Burak, Serkan"),
        _names("Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Aydın, Öztürk, Arslan, Doğan, Koç, "  # noqa: RUF001
               "Kurt, Özdemir"),
    ),
    "somali": NamePool(
        _names("Hodan, Amina, Faadumo, Sahra, Hibaaq, Nimco, Ifrah, Ubah, Khadra, Ayaan, "
               "Hamdi, Sagal, Ladan, Fardowsa"),
        _names("Abdirahman, Mohamed, Abdullahi, Hassan, Ahmed, Yusuf"),
        _names("Mohamed, Ahmed, Hassan, Abdi, Ali, Farah, Warsame, Jama, Osman, Yusuf, Nur, "
               "Egal, Hussein, Ismail"),
    ),
    "brazilian": NamePool(
        _names("Ana, Mariana, Juliana, Fernanda, Camila, Patrícia, Aline, Beatriz, Larissa, "
               "Renata, Luana, Tatiane, Carolina"),
        _names("João, Pedro, Lucas, Rafael, Gabriel, Thiago, Bruno, Felipe"),
        _names("Silva, Santos, Oliveira, Souza, Pereira, Lima, Costa, Ferreira, Almeida, "
               "Rodrigues, Carvalho, Gomes, Ribeiro, Barbosa"),
    ),
    "latam": NamePool(
        _names("Carolina, Daniela, Valentina, Paola, Andrea, Natalia, Gabriela, Lucía, Mariana, "
               "Diana, Alejandra, Catalina"),
        _names("Carlos, Andrés, Diego, Javier, Alejandro, Luis, Santiago"),
        _names("García, Rodríguez, Martínez, Hernández, López, González, Gómez, Díaz, Pérez, "
               "Ramírez, Torres, Vargas, Castro, Rojas"),
    ),
    "pakistani": NamePool(
        _names("Ayesha, Sana, Fatima, Hina, Saima, Maryam, Nadia, Rabia, Amna, Zainab, Mehwish, "
               "Sadia, Iqra"),
        _names("Imran, Bilal, Usman, Ali, Hamza, Faisal, Asad, Kamran"),
        _names("Khan, Ahmed, Malik, Hussain, Qureshi, Butt, Chaudhry, Shah, Iqbal, Raza, "
               "Mirza, Siddiqui"),
    ),
    "indian": NamePool(
        _names("Priya, Anjali, Deepa, Kavya, Neha, Pooja, Divya, Lakshmi, Meera, Sunita, "
               "Shreya, Aishwarya, Ritu, Swati"),
        _names("Arjun, Rahul, Vikram, Sanjay, Amit, Rohan, Karthik, Suresh, Nikhil"),
        _names("Sharma, Patel, Singh, Kumar, Iyer, Reddy, Nair, Gupta, Menon, Rao, Joshi, "
               "Desai, Pillai, Verma"),
    ),
    "bangla": NamePool(
        _names("Farhana, Nusrat, Tahmina, Sharmin, Rumana, Nasrin, Sumaiya, Tasnim"),
        _names("Tanvir, Rafiq, Shafiq, Mahmud, Arif, Sabbir"),
        _names("Rahman, Hossain, Islam, Chowdhury, Akter, Ahmed, Uddin, Sarker"),
    ),
    "tamil": NamePool(
        _names("Tharsini, Kavitha, Nirmala, Shanthi, Mathumitha, Vithya, Sangeetha"),
        _names("Sivakumar, Rajesh, Prakash, Kannan, Senthil"),
        _names("Sivakumar, Rajendran, Selvarajah, Kanagaratnam, Thevarajah, Murugesu"),
    ),
    "filipino": NamePool(
        _names("Maria, Kristine, Jennifer, Lovely, Joy, Rowena, Marites, Angelica, Mary Grace, "
               "Jasmine, Rhea, Cherry"),
        _names("Jose, Mark, John Paul, Rodel, Jericho, Christian, Arnel, Ramon"),
        _names("Santos, Reyes, Cruz, Bautista, Ocampo, Garcia, Mendoza, Dela Cruz, Villanueva, "
               "Ramos, Aquino, Castillo"),
    ),
    "vietnamese": NamePool(
        _names("Lan, Huong, Thu, Mai, Linh, Trang, Ngoc, Hoa, Phuong, Thao"),
        _names("Minh, Tuan, Duc, Hung, Quang"),
        _names("Nguyen, Tran, Le, Pham, Hoang, Phan, Vu, Dang, Bui, Do"),
    ),
    "thai": NamePool(
        _names("Siriporn, Nattaya, Kanokwan, Malee, Wanida, Pornthip, Sumalee, Ratana"),
        _names("Somchai, Anan, Preecha, Nattapong"),
        _names("Saelee, Srisuk, Chaiyaporn, Wongsa, Boonmee, Suksawat, Thongchai, Kaewkla"),
    ),
    "habesha": NamePool(
        _names("Senait, Helen, Selam, Yordanos, Feven, Mebrat, Rahel, Saba, Tsega, Winta, "
               "Hiwet, Meron"),
        _names("Yonas, Dawit, Samuel, Biniam, Tesfay, Henok"),
        _names("Tesfaye, Ghebremariam, Haile, Kidane, Tekle, Berhane, Woldu, Mehari, "
               "Gebremedhin, Yohannes, Asfaha, Negash"),
    ),
    "east_african": NamePool(
        _names("Wanjiru, Akinyi, Nafula, Achieng, Nakato, Namubiru, Grace, Esther, Faith"),
        _names("Otieno, Kamau, Mwangi, Okello, Mukasa"),
        _names("Otieno, Kamau, Mwangi, Odhiambo, Wanyama, Okello, Mukasa, Nsubuga, Ssempala"),
    ),
    "nigerian": NamePool(
        _names("Chiamaka, Ngozi, Funmilayo, Adaeze, Aisha, Folake, Oluwaseun, Chinwe, Yetunde, "
               "Blessing, Temitope, Ifeoma"),
        _names("Chinedu, Emeka, Olumide, Tunde, Ikenna, Babatunde, Segun, Uche"),
        _names("Okafor, Adeyemi, Okonkwo, Balogun, Eze, Nwosu, Adebayo, Ibrahim, Oyelaran, Obi, "
               "Olawale, Chukwu"),
    ),
    "west_african": NamePool(
        _names("Aminata, Fatou, Mariama, Awa, Aïssatou, Adjoa, Mireille, Nadège, Ramatou"),
        _names("Mamadou, Ousmane, Ibrahima, Moussa, Serge, Yves"),
        _names("Diallo, Ndiaye, Traoré, Koné, Diop, Camara, Sow, Kouassi, Mbarga, Nkoulou"),
    ),
    "romanian": NamePool(
        _names("Ioana, Andreea, Elena, Maria, Alexandra, Cristina, Mihaela, Raluca, Simona, "
               "Adriana"),
        _names("Andrei, Mihai, Alexandru, Bogdan, Florin"),
        _names("Popescu, Ionescu, Popa, Dumitru, Stan, Stoica, Gheorghe, Munteanu, Rusu, Matei"),
    ),
    "balkan": NamePool(
        _names("Amra, Lejla, Selma, Emina, Aida, Mirela, Arta, Blerta, Elira, Jasmina"),
        _names("Adnan, Emir, Haris, Arben, Dritan"),
        _names("Hodžić, Begić, Kovačević, Delić, Hadžić, Mehmedović, Hoxha, Krasniqi, Gashi, "
               "Berisha"),
    ),
    "german": NamePool(
        _names("Katrin, Sabine, Stefanie, Julia, Anja, Claudia, Nicole, Lena"),
        _names("Stefan, Markus, Jan, Tobias"),
        _names("Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Hoffmann"),
    ),
    "korean": NamePool(
        _names("Ji-yeon, Min-ji, Seo-yeon, Hye-jin, Eun-ji, Soo-jin, Ha-eun"),
        _names("Min-jun, Ji-hoon, Hyun-woo, Sung-min, Dong-hyun"),
        _names("Kim, Lee, Park, Choi, Jung, Kang, Cho, Yoon"),
    ),
    "american": NamePool(
        _names("Jessica, Ashley, Emily, Sarah, Megan, Rachel, Lauren, Amanda"),
        _names("Michael, Christopher, Matthew, Joshua, Brian"),
        _names("Johnson, Williams, Miller, Davis, Moore, Jackson, White, Harris"),
    ),
}  # fmt: skip

# The Moroccan pool in Arabic script, same order: shown to people who read Arabic.
MOROCCAN_ARABIC = {
    "Fatima Zahra": "فاطمة الزهراء", "Khadija": "خديجة", "Meryem": "مريم", "Salma": "سلمى",
    "Nadia": "نادية", "Hanane": "حنان", "Samira": "سميرة", "Latifa": "لطيفة", "Zineb": "زينب",
    "Imane": "إيمان", "Houda": "هدى", "Asmaa": "أسماء", "Soukaina": "سكينة", "Loubna": "لبنى",
    "Ghizlane": "غزلان", "Naima": "نعيمة", "Youssef": "يوسف", "Mehdi": "المهدي",
    "Hamza": "حمزة", "Karim": "كريم", "Omar": "عمر", "Rachid": "رشيد", "Anas": "أنس",
    "Benali": "بنعلي", "El Amrani": "العمراني", "Alaoui": "العلوي", "Bennani": "بناني",
    "El Idrissi": "الإدريسي", "Tazi": "التازي", "Berrada": "برادة", "Chraibi": "الشرايبي",
    "El Fassi": "الفاسي", "Ouazzani": "الوزاني", "Benjelloun": "بنجلون", "Lahlou": "لحلو",
    "Saidi": "السعيدي", "Bouzid": "بوزيد", "Tahiri": "الطاهري", "El Mansouri": "المنصوري",
}  # fmt: skip

# Origin country -> (name pool, [(language, probability she speaks it)]). Languages are
# ISO 639-1 codes from vocabulary.LANGUAGES; a country whose language is not on that list
# (Lithuanian, Korean) gets the ones people from there commonly list beside it.
ORIGINS: dict[str, tuple[str, tuple[tuple[str, float], ...]]] = {
    "IQ": ("arabic", (("ar", 1.0), ("ku", 0.3))),
    "RU": ("russian", (("ru", 1.0),)),
    "IR": ("persian", (("fa", 1.0),)),
    "PL": ("polish", (("pl", 1.0),)),
    "CN": ("chinese", (("zh", 1.0),)),
    "TR": ("turkish", (("tr", 1.0), ("ku", 0.15))),
    "SO": ("somali", (("so", 1.0), ("ar", 0.3))),
    "BR": ("brazilian", (("pt", 1.0), ("es", 0.15))),
    "UA": ("ukrainian", (("uk", 1.0), ("ru", 0.6))),
    "PK": ("pakistani", (("ur", 1.0), ("en", 0.6))),
    "SY": ("arabic", (("ar", 1.0), ("ku", 0.15))),
    "LB": ("arabic", (("ar", 1.0), ("fr", 0.5))),
    "EG": ("arabic", (("ar", 1.0),)),
    "SD": ("arabic", (("ar", 1.0),)),
    "AF": ("afghan", (("fa", 1.0), ("ps", 0.4))),
    "ER": ("habesha", (("ti", 1.0), ("ar", 0.2))),
    "ET": ("habesha", (("am", 1.0),)),
    "VN": ("vietnamese", (("vi", 1.0),)),
    "TH": ("thai", (("th", 1.0),)),
    "PH": ("filipino", (("tl", 1.0), ("en", 0.9))),
    "IN": ("indian", (("hi", 0.75), ("ta", 0.2), ("en", 1.0))),
    "LK": ("tamil", (("ta", 1.0), ("en", 0.5))),
    "BD": ("bangla", (("bn", 1.0), ("en", 0.5))),
    "RO": ("romanian", (("ro", 1.0),)),
    "BA": ("balkan", (("bs", 1.0),)),
    "AL": ("balkan", (("sq", 1.0),)),
    "MA": ("ma", (("ar", 1.0), ("fr", 0.75))),
    "DZ": ("ma", (("ar", 1.0), ("fr", 0.8))),
    "DE": ("german", (("de", 1.0),)),
    "NG": ("nigerian", (("en", 1.0),)),
    "CO": ("latam", (("es", 1.0),)),
    "MX": ("latam", (("es", 1.0),)),
    "VE": ("latam", (("es", 1.0),)),
    "KE": ("east_african", (("sw", 1.0), ("en", 0.9))),
    "UG": ("east_african", (("en", 1.0), ("sw", 0.4))),
    "LT": ("lithuanian", (("ru", 0.4), ("en", 0.5))),
    "LV": ("latvian", (("ru", 0.5), ("en", 0.5))),
    "KR": ("korean", (("en", 0.6),)),
    "SN": ("west_african", (("fr", 1.0),)),
    "CI": ("west_african", (("fr", 1.0),)),
    "CM": ("west_african", (("fr", 1.0), ("en", 0.4))),
    "US": ("american", (("en", 1.0),)),
    "DK": ("dk", (("da", 1.0),)),
    "NO": ("no", (("nb", 1.0),)),
    "IS": ("is", (("is", 1.0),)),
    "CA": ("ca", (("en", 1.0), ("fr", 0.25))),
}
# Languages a tenant country's own people list beside the tenant's language.
LOCAL_EXTRA_LANGUAGES: dict[str, tuple[tuple[str, float], ...]] = {
    "DK": (("en", 0.9), ("de", 0.3), ("sv", 0.25), ("fr", 0.15), ("es", 0.15)),
    "NO": (("en", 0.9), ("sv", 0.3), ("de", 0.2), ("es", 0.1)),
    "IS": (("en", 0.95), ("da", 0.35), ("de", 0.15), ("es", 0.1)),
    "CA": (("fr", 0.25), ("es", 0.08), ("zh", 0.05), ("hi", 0.05)),
    "MA": (("fr", 0.9), ("en", 0.4), ("es", 0.15)),
}
DEFAULT_LOCAL_EXTRA = (("en", 0.8),)


# --- programmes ---------------------------------------------------------------------------


def _with_tail(
    top: Mapping[str, float], tail: Mapping[str, float], tail_share: float
) -> dict[str, float]:
    """Top countries as given, the tail scaled to ``tail_share`` of the whole."""
    top_total = sum(top.values())
    tail_total = sum(tail.values())
    scale = top_total * tail_share / (1 - tail_share) / tail_total
    return {**top, **{country: weight * scale for country, weight in tail.items()}}


@dataclass(frozen=True)
class Programme:
    """Who signs up where: the weights that make one tenant's people look like its own."""

    origins: Mapping[str, float]
    mentee_isco: Mapping[str, float]  # ISCO major group -> weight
    mentor_isco: Mapping[str, float]
    mentee_education: Mapping[int, float]  # ISCED level -> weight
    mentor_education: Mapping[int, float]
    goals: Mapping[str, float]
    sectors: Mapping[str, float]
    any_gender: bool = False
    # Share of mentors who came from abroad themselves (their names and languages show it).
    mentors_born_abroad: float = 0.1
    # Share of unit groups picked from COMMON_PROFESSIONS rather than across the whole major.
    common_share: float = 0.55


BROAD_MENTEE_ISCO = {"1": 4, "2": 30, "3": 18, "4": 12, "5": 16, "6": 2, "7": 7, "8": 4, "9": 7}
BROAD_MENTOR_ISCO = {"1": 12, "2": 42, "3": 20, "4": 10, "5": 8, "6": 1, "7": 4, "8": 1, "9": 2}
MENTEE_EDUCATION = {2: 6, 3: 16, 4: 8, 5: 8, 6: 28, 7: 26, 8: 8}
MENTOR_EDUCATION = {3: 5, 4: 5, 5: 10, 6: 35, 7: 38, 8: 7}
NORDIC_GOALS = {
    "job": 20, "job_in_field": 22, "education": 12, "language": 10, "network": 20,
    "self_esteem": 8, "society": 6, "business": 3,
}  # fmt: skip
BROAD_SECTORS = {
    "health": 14, "education": 12, "public": 10, "professional": 10, "ict": 8, "trade": 8,
    "finance": 6, "manufacturing": 6, "hospitality": 6, "administrative": 5, "construction": 4,
    "transport": 4, "arts": 3, "energy": 2, "other_services": 2,
}  # fmt: skip

PROGRAMMES: dict[str, Programme] = {
    # KVINFO's published top ten, in that order; the tail is the "over 140 countries".
    "DK": Programme(
        origins=_with_tail(
            {"IQ": 12, "RU": 10, "IR": 9, "PL": 8, "CN": 7.5, "TR": 7, "SO": 6.5, "BR": 5.5,
             "UA": 5, "PK": 4.5},
            {"SY": 1.6, "AF": 1.5, "ER": 1.2, "LB": 1.1, "VN": 1.2, "TH": 1.2, "PH": 1.2,
             "IN": 1.1, "RO": 1.1, "BA": 1.0, "MA": 1.0, "EG": 0.9, "ET": 0.9, "LT": 0.9,
             "DE": 0.8, "NG": 0.8, "CO": 0.8, "MX": 0.7, "KE": 0.7, "LK": 0.7, "BD": 0.7,
             "US": 0.6, "UG": 0.5, "SD": 0.6, "AL": 0.6, "VE": 0.6, "KR": 0.4, "LV": 0.5},
            0.25,
        ),
        mentee_isco=BROAD_MENTEE_ISCO,
        mentor_isco=BROAD_MENTOR_ISCO,
        mentee_education=MENTEE_EDUCATION,
        mentor_education=MENTOR_EDUCATION,
        goals=NORDIC_GOALS,
        sectors=BROAD_SECTORS,
    ),
    "NO": Programme(
        origins={"SY": 14, "PL": 13, "ER": 11, "SO": 10, "AF": 9, "UA": 9, "PH": 7, "IQ": 6,
                 "LT": 5, "PK": 4, "TH": 3, "IR": 3, "VN": 2, "ET": 2, "RU": 2, "TR": 1.5,
                 "IN": 1.5, "CN": 1.5, "BR": 1, "CO": 1},
        mentee_isco=BROAD_MENTEE_ISCO,
        mentor_isco=BROAD_MENTOR_ISCO,
        mentee_education=MENTEE_EDUCATION,
        mentor_education=MENTOR_EDUCATION,
        goals=NORDIC_GOALS,
        sectors=BROAD_SECTORS,
    ),
    "IS": Programme(
        origins={"PL": 25, "UA": 10, "LT": 8, "VE": 8, "PH": 7, "SY": 7, "IQ": 5, "AF": 4,
                 "TH": 4, "RO": 4, "LV": 3, "CO": 3, "ER": 2, "SO": 2, "NG": 2, "DE": 2},
        mentee_isco=BROAD_MENTEE_ISCO,
        mentor_isco=BROAD_MENTOR_ISCO,
        mentee_education=MENTEE_EDUCATION,
        mentor_education=MENTOR_EDUCATION,
        goals=NORDIC_GOALS,
        sectors=BROAD_SECTORS,
        mentors_born_abroad=0.08,
    ),
    # Skilled immigrants of any gender, matched by occupation: professionals and technicians.
    "CA": Programme(
        origins={"IN": 22, "CN": 12, "PH": 11, "PK": 7, "IR": 7, "NG": 7, "BR": 4, "CO": 3,
                 "MX": 3, "BD": 3, "UA": 3, "KR": 2, "LK": 2, "EG": 2, "VN": 2, "SY": 2,
                 "MA": 2, "DZ": 2, "CM": 2, "US": 1},
        mentee_isco={"1": 6, "2": 60, "3": 25, "4": 5, "5": 2, "7": 1, "8": 1},
        mentor_isco={"1": 12, "2": 64, "3": 20, "4": 3, "5": 1},
        mentee_education={4: 3, 5: 10, 6: 45, 7: 35, 8: 7},
        mentor_education={5: 8, 6: 50, 7: 36, 8: 6},
        goals={"job_in_field": 45, "network": 30, "job": 15, "self_esteem": 4, "education": 4,
               "society": 2},
        sectors={"finance": 16, "ict": 16, "professional": 14, "health": 10, "energy": 8,
                 "manufacturing": 8, "education": 6, "public": 6, "trade": 6,
                 "administrative": 4, "construction": 4, "transport": 2},
        any_gender=True,
        mentors_born_abroad=0.3,
        common_share=0.5,
    ),
    # Women entrepreneurs: the business matters more than the origin (rarely collected).
    "MA": Programme(
        origins={"MA": 92, "SN": 2, "CI": 2, "DZ": 2, "SY": 1, "CM": 1},
        mentee_isco={"1": 10, "2": 10, "3": 10, "4": 5, "5": 30, "6": 15, "7": 20},
        mentor_isco={"1": 35, "2": 30, "3": 15, "5": 10, "7": 10},
        mentee_education={2: 20, 3: 28, 4: 15, 5: 15, 6: 14, 7: 7, 8: 1},
        mentor_education={3: 10, 4: 10, 5: 20, 6: 30, 7: 25, 8: 5},
        goals={"business": 60, "network": 15, "self_esteem": 10, "education": 5,
               "language": 3, "society": 7},
        sectors={"crafts_textiles": 20, "trade": 18, "hospitality": 14, "agriculture": 14,
                 "other_services": 10, "manufacturing": 6, "ict": 4, "education": 4,
                 "health": 4, "arts": 3, "professional": 3, "transport": 2},
        mentors_born_abroad=0.0,
    ),
}  # fmt: skip
DEFAULT_PROGRAMME = Programme(
    origins={"SY": 8, "UA": 8, "AF": 6, "IQ": 6, "IN": 6, "IR": 5, "PL": 5, "CN": 5, "PH": 5,
             "ER": 4, "SO": 4, "BR": 4, "NG": 4, "TR": 4, "PK": 4, "CO": 3, "VN": 3, "RU": 3,
             "MA": 3, "RO": 3},
    mentee_isco=BROAD_MENTEE_ISCO,
    mentor_isco=BROAD_MENTOR_ISCO,
    mentee_education=MENTEE_EDUCATION,
    mentor_education=MENTOR_EDUCATION,
    goals=NORDIC_GOALS,
    sectors=BROAD_SECTORS,
)  # fmt: skip

STATUS_WEIGHTS = {
    "mentee": {"applied": 13, "interviewed": 10, "ready": 30, "matched": 26, "alumni": 13,
               "paused": 4, "withdrawn": 4},
    "mentor": {"applied": 5, "interviewed": 5, "ready": 42, "matched": 38, "alumni": 4,
               "paused": 4, "withdrawn": 2},
}  # fmt: skip
INTEREST_WEIGHTS: dict[str, float] = {
    "children": 14, "cooking": 12, "outdoors": 10, "culture": 9, "reading": 9, "sports": 9,
    "travel": 9, "music": 8, "volunteering": 6, "crafts": 6, "technology": 5, "politics": 4,
}  # fmt: skip
HELP_WEIGHTS: dict[str, float] = {
    "network": 18, "job_search": 16, "cv": 15, "interview_practice": 12, "workplace_culture": 12,
    "language": 10, "education_system": 8, "entrepreneurship": 4,
}  # fmt: skip
STAGE_WEIGHTS = {
    "mentee": {"idea": 20, "starting": 25, "early": 25, "growing": 20, "established": 10},
    "mentor": {"early": 10, "growing": 35, "established": 55},
}
# How long ago a business of each stage started, in days (for a "started on" question).
STAGE_AGE_DAYS = {
    "idea": (0, 0), "starting": (30, 330), "early": (365, 3 * 365), "growing": (2 * 365, 6 * 365),
    "established": (4 * 365, 15 * 365),
}  # fmt: skip


# --- professions --------------------------------------------------------------------------

# Unit groups newcomers and mentors in these programmes often have, with the domain they
# work in, said in a way that fits a sentence in each language without knowing the
# speaker's gender ("I have worked in nursing"). ISCO titles themselves are plural group
# names, and only a few are translated.
COMMON_PROFESSIONS: dict[str, dict[str, str]] = {
    "1120": {"en": "management", "da": "ledelse", "nb": "ledelse", "is": "stjórnun",
             "fr": "la direction d'entreprise", "ar": "الإدارة"},
    "2113": {"en": "chemistry", "da": "kemi", "nb": "kjemi", "is": "efnafræði",
             "fr": "la chimie", "ar": "الكيمياء"},
    "2131": {"en": "biology", "da": "biologi", "nb": "biologi", "is": "líffræði",
             "fr": "la biologie", "ar": "علم الأحياء"},
    "2133": {"en": "environmental protection", "da": "miljøbeskyttelse", "nb": "miljøvern",
             "is": "umhverfisvernd", "fr": "l'environnement", "ar": "حماية البيئة"},
    "2142": {"en": "civil engineering", "da": "byggeri og anlæg", "nb": "bygg og anlegg",
             "is": "byggingarverkfræði", "fr": "le génie civil", "ar": "الهندسة المدنية"},
    "2144": {"en": "mechanical engineering", "da": "maskinteknik", "nb": "maskinteknikk",
             "is": "vélaverkfræði", "fr": "le génie mécanique", "ar": "الهندسة الميكانيكية"},
    "2152": {"en": "electronics", "da": "elektronik", "nb": "elektronikk", "is": "rafeindatækni",
             "fr": "l'électronique", "ar": "الإلكترونيات"},
    "2161": {"en": "architecture", "da": "arkitektur", "nb": "arkitektur", "is": "arkitektúr",
             "fr": "l'architecture", "ar": "الهندسة المعمارية"},
    "2166": {"en": "graphic design", "da": "grafisk design", "nb": "grafisk design",
             "is": "grafísk hönnun", "fr": "le graphisme", "ar": "التصميم الجرافيكي"},
    "2211": {"en": "medicine", "da": "medicin", "nb": "medisin", "is": "læknisfræði",
             "fr": "la médecine", "ar": "الطب"},
    "2221": {"en": "nursing", "da": "sygepleje", "nb": "sykepleie", "is": "hjúkrun",
             "fr": "les soins infirmiers", "ar": "التمريض"},
    "2222": {"en": "midwifery", "da": "jordemoderfaget", "nb": "jordmorfaget",
             "is": "ljósmóðurfræði", "fr": "le métier de sage-femme", "ar": "القبالة"},
    "2250": {"en": "veterinary medicine", "da": "veterinærmedicin", "nb": "veterinærmedisin",
             "is": "dýralækningar", "fr": "la médecine vétérinaire", "ar": "الطب البيطري"},
    "2261": {"en": "dentistry", "da": "tandlægefaget", "nb": "tannhelse", "is": "tannlækningar",
             "fr": "la chirurgie dentaire", "ar": "طب الأسنان"},
    "2262": {"en": "pharmacy", "da": "farmaci", "nb": "farmasi", "is": "lyfjafræði",
             "fr": "la pharmacie", "ar": "الصيدلة"},
    "2264": {"en": "physiotherapy", "da": "fysioterapi", "nb": "fysioterapi",
             "is": "sjúkraþjálfun", "fr": "la kinésithérapie", "ar": "العلاج الطبيعي"},
    "2310": {"en": "university teaching and research", "da": "forskning og undervisning",
             "nb": "forskning og undervisning", "is": "rannsóknir og háskólakennsla",
             "fr": "l'enseignement supérieur", "ar": "التعليم العالي والبحث"},
    "2330": {"en": "teaching", "da": "undervisning", "nb": "undervisning", "is": "kennsla",
             "fr": "l'enseignement", "ar": "التدريس"},
    "2341": {"en": "primary school teaching", "da": "undervisning i folkeskolen",
             "nb": "undervisning i grunnskolen", "is": "grunnskólakennsla",
             "fr": "l'enseignement primaire", "ar": "التعليم الابتدائي"},
    "2342": {"en": "early childhood education", "da": "pædagogik", "nb": "barnehagepedagogikk",
             "is": "leikskólakennsla", "fr": "l'éducation de la petite enfance",
             "ar": "تربية الطفولة المبكرة"},
    "2411": {"en": "accounting", "da": "regnskab", "nb": "regnskap", "is": "bókhald",
             "fr": "la comptabilité", "ar": "المحاسبة"},
    "2412": {"en": "finance", "da": "økonomi og finans", "nb": "økonomi og finans",
             "is": "fjármál", "fr": "la finance", "ar": "المالية"},
    "2423": {"en": "human resources", "da": "HR", "nb": "HR", "is": "mannauðsmál",
             "fr": "les ressources humaines", "ar": "الموارد البشرية"},
    "2431": {"en": "marketing", "da": "markedsføring", "nb": "markedsføring",
             "is": "markaðsmál", "fr": "le marketing", "ar": "التسويق"},
    "2511": {"en": "IT", "da": "IT", "nb": "IT", "is": "upplýsingatækni",
             "fr": "l'informatique", "ar": "تقنية المعلومات"},
    "2512": {"en": "software development", "da": "softwareudvikling",
             "nb": "programvareutvikling", "is": "hugbúnaðarþróun",
             "fr": "le développement logiciel", "ar": "تطوير البرمجيات"},
    "2611": {"en": "law", "da": "jura", "nb": "juss", "is": "lögfræði", "fr": "le droit",
             "ar": "القانون"},
    "2631": {"en": "economics", "da": "økonomi", "nb": "samfunnsøkonomi", "is": "hagfræði",
             "fr": "l'économie", "ar": "الاقتصاد"},
    "2634": {"en": "psychology", "da": "psykologi", "nb": "psykologi", "is": "sálfræði",
             "fr": "la psychologie", "ar": "علم النفس"},
    "2635": {"en": "social work", "da": "socialt arbejde", "nb": "sosialt arbeid",
             "is": "félagsráðgjöf", "fr": "le travail social", "ar": "العمل الاجتماعي"},
    "2642": {"en": "journalism", "da": "journalistik", "nb": "journalistikk",
             "is": "blaðamennska", "fr": "le journalisme", "ar": "الصحافة"},
    "2643": {"en": "translation and interpreting", "da": "oversættelse og tolkning",
             "nb": "oversettelse og tolking", "is": "þýðingar og túlkun",
             "fr": "la traduction", "ar": "الترجمة"},
    "3221": {"en": "health care", "da": "sundhedsfagligt arbejde", "nb": "helsefag",
             "is": "heilbrigðisþjónusta", "fr": "les soins de santé", "ar": "الرعاية الصحية"},
    "3313": {"en": "bookkeeping", "da": "bogføring", "nb": "bokføring", "is": "bókhald",
             "fr": "la tenue de comptes", "ar": "مسك الحسابات"},
    "3412": {"en": "social work", "da": "socialt arbejde", "nb": "sosialt arbeid",
             "is": "félagsráðgjöf", "fr": "le travail social", "ar": "العمل الاجتماعي"},
    "3512": {"en": "IT support", "da": "IT-support", "nb": "IT-brukerstøtte",
             "is": "tölvuaðstoð", "fr": "le support informatique", "ar": "الدعم التقني"},
    "4110": {"en": "office administration", "da": "kontorarbejde", "nb": "kontorarbeid",
             "is": "skrifstofustörf", "fr": "le travail de bureau", "ar": "الأعمال المكتبية"},
    "5120": {"en": "cooking", "da": "køkkenfaget", "nb": "kokkefaget", "is": "matreiðsla",
             "fr": "la cuisine", "ar": "الطبخ"},
    "5141": {"en": "hairdressing", "da": "frisørfaget", "nb": "frisørfaget",
             "is": "hárgreiðsla", "fr": "la coiffure", "ar": "الحلاقة والتجميل"},
    "5223": {"en": "retail", "da": "detailhandel", "nb": "varehandel", "is": "verslun",
             "fr": "la vente", "ar": "البيع"},
    "5311": {"en": "childcare", "da": "børnepasning", "nb": "barnepass", "is": "barnagæsla",
             "fr": "la garde d'enfants", "ar": "رعاية الأطفال"},
    "5321": {"en": "care work", "da": "pleje og omsorg", "nb": "pleie og omsorg",
             "is": "umönnun", "fr": "l'aide-soignance", "ar": "الرعاية"},
    "7512": {"en": "baking", "da": "bagerfaget", "nb": "bakerfaget", "is": "bakstur",
             "fr": "la pâtisserie", "ar": "الحلويات والمخبوزات"},
    "7531": {"en": "tailoring", "da": "skrædderfaget", "nb": "skredderfaget",
             "is": "fatasaumur", "fr": "la couture", "ar": "الخياطة"},
    "9112": {"en": "cleaning", "da": "rengøring", "nb": "renhold", "is": "ræstingar",
             "fr": "le nettoyage", "ar": "التنظيف"},
}  # fmt: skip

# ISCO sub-major group -> the ISCED-F fields people in it usually studied, and sectors.
FIELD_BY_ISCO = {
    "11": ("04",), "12": ("04",), "13": ("04", "07"), "14": ("04", "10"),
    "21": ("05", "07"), "22": ("09",), "23": ("01", "02"), "24": ("04",), "25": ("06",),
    "26": ("03", "02", "04"), "31": ("07", "05"), "32": ("09",), "33": ("04",),
    "34": ("03", "10", "02"), "35": ("06",), "4": ("04", "00"), "5": ("10", "09", "00"),
    "6": ("08",), "7": ("07", "00"), "8": ("07", "00"), "9": ("00", "10"),
}  # fmt: skip
SECTOR_BY_ISCO = {
    "11": ("public", "finance", "professional"), "12": ("finance", "professional", "trade"),
    "13": ("manufacturing", "ict", "health", "education"), "14": ("hospitality", "trade"),
    "21": ("professional", "manufacturing", "energy", "construction"), "22": ("health",),
    "23": ("education",), "24": ("finance", "professional", "public"), "25": ("ict",),
    "26": ("professional", "public", "arts"), "31": ("manufacturing", "energy", "construction"),
    "32": ("health",), "33": ("finance", "administrative", "trade"), "34": ("public", "arts"),
    "35": ("ict",), "4": ("administrative", "public", "finance"),
    "5": ("hospitality", "trade", "other_services", "health"), "6": ("agriculture",),
    "7": ("construction", "manufacturing", "crafts_textiles"), "8": ("manufacturing", "transport"),
    "9": ("administrative", "hospitality", "agriculture"),
}  # fmt: skip


@cache
def _units_by_major() -> dict[str, tuple[str, ...]]:
    units: dict[str, list[str]] = {}
    for group in isco():
        if group.is_unit:
            units.setdefault(group.code[0], []).append(group.code)
    return {major: tuple(codes) for major, codes in units.items()}


@cache
def _common_by_major() -> dict[str, tuple[str, ...]]:
    index = isco()
    common: dict[str, list[str]] = {}
    for code in COMMON_PROFESSIONS:
        if index.is_valid_unit(code):
            common.setdefault(code[0], []).append(code)
    return {major: tuple(codes) for major, codes in common.items()}


def _by_isco(table: Mapping[str, tuple[str, ...]], code: str | None) -> tuple[str, ...] | None:
    if not code:
        return None
    return table.get(code[:2]) or table.get(code[:1])


# --- texts --------------------------------------------------------------------------------

# Phrase banks per locale. Sentences are short and combined at random, so two people
# rarely read alike; every template says something that fits any profession and origin.
# Icelandic templates keep names and nouns in the nominative, French ones avoid "de + le",
# so that no declension or contraction is ever needed.
PHRASES: dict[str, dict[str, Any]] = {
    "da": {
        "and": " og ",
        "origin": [
            "Jeg kommer fra {country} og kom til {home} i {year}.",
            "Jeg er født i {country} og har boet i {home} siden {year}.",
            "Jeg flyttede fra {country} til {home} i {year} sammen med min familie.",
        ],
        "here": ["Jeg har boet her i landet siden {year}.", "Jeg kom hertil i {year}."],
        "domain": [
            "Jeg er uddannet inden for {domain} og har flere års erfaring.",
            "Jeg har arbejdet med {domain} i mange år.",
            "Mit fag er {domain}, og det vil jeg gerne tilbage til.",
        ],
        "field": ["Jeg er uddannet inden for {field}.", "Min uddannelse er inden for {field}."],
        "goal": {
            "job": "Nu vil jeg gerne i arbejde og bruge det, jeg kan.",
            "job_in_field": "Mit store mål er at komme til at arbejde inden for mit eget fag igen.",
            "education": "Jeg drømmer om at tage en uddannelse her.",
            "language": "Jeg arbejder hårdt på at blive bedre til dansk.",
            "network": "Jeg mangler et netværk, og det vil jeg gerne bygge op.",
            "self_esteem": "Jeg vil gerne finde troen på mig selv og mine evner igen.",
            "business": "Jeg drømmer om at starte min egen virksomhed.",
            "society": "Jeg vil gerne forstå bedre, hvordan samfundet og arbejdsmarkedet fungerer.",
        },
        "wish": [
            "Jeg ønsker mig en mentor, som {need}.",
            "Jeg håber at møde en mentor, der {need}.",
            "Det vigtigste for mig er en mentor, der {need}.",
        ],
        "wish_more": ["Det ville også være godt, hvis min mentor {need}."],
        "need": {
            "job": "kan hjælpe mig med jobsøgning og ansøgninger",
            "job_in_field": "arbejder inden for mit fag og kender branchen",
            "education": "kender uddannelsessystemet og kan vejlede mig",
            "language": "har tålmodighed til at tale dansk med mig",
            "network": "vil introducere mig for sit netværk",
            "self_esteem": "kan give mig mod og støtte",
            "business": "selv har drevet en virksomhed",
            "society": "kan forklare de uskrevne regler på en arbejdsplads",
        },
        "wish_interest": ["Det ville være dejligt, hvis vi også kunne tale om {interest}."],
        "interests": [
            "I min fritid holder jeg af {interests}.", "Jeg interesserer mig for {interests}.",
        ],
        "interest": {
            "children": "børn og familieliv", "sports": "sport og motion",
            "outdoors": "naturen og friluftsliv", "culture": "kunst, film og teater",
            "music": "musik", "reading": "bøger og litteratur", "cooking": "madlavning",
            "crafts": "håndarbejde og design", "technology": "teknologi", "travel": "rejser",
            "volunteering": "frivilligt arbejde", "politics": "samfund og politik",
        },
        "mentor_work": [
            "Jeg har arbejdet med {domain} i {years} år.",
            "Til daglig arbejder jeg med {domain}, og det har jeg gjort i {years} år.",
            "Jeg er uddannet inden for {domain} og har mange års erfaring fra faget.",
        ],
        "mentor_why": [
            "Jeg vil gerne dele min erfaring og mit netværk med en, der er ny i landet.",
            "Jeg har selv haft gavn af en mentor og vil gerne give noget tilbage.",
            "Jeg ved, hvor meget et netværk betyder for at få fodfæste på arbejdsmarkedet.",
            "Jeg tror på, at vi lærer meget af hinanden, og jeg glæder mig til at møde en mentee.",
            "Det giver mening for mig at bruge lidt af min tid på at åbne døre for andre.",
        ],
        "mentor_help": ["Jeg kan især hjælpe med {helps}.", "Jeg kan bidrage med {helps}."],
        "help": {
            "job_search": "jobsøgning", "cv": "CV og ansøgninger",
            "interview_practice": "forberedelse til jobsamtaler",
            "network": "at åbne døre i mit netværk", "language": "sprogtræning",
            "education_system": "vejledning om uddannelsessystemet",
            "entrepreneurship": "at starte egen virksomhed",
            "workplace_culture": "arbejdspladskultur",
        },
        "availability": [
            "Hverdage efter kl. 16", "Et par timer hver anden uge, gerne om eftermiddagen",
            "Fleksibelt, helst tirsdag eller torsdag aften",
            "Weekender og enkelte hverdagsaftener", "Onsdage efter arbejde",
        ],
        "workplace": ["Et revisionsfirma i {city}", "Kommunen", "En skole i {city}",
                      "Et IT-firma i {city}", "Hospitalet i {city}", "En ingeniørvirksomhed"],
        "business_name": ["{first}s Køkken", "Atelier {first}", "{last} Design"],
        "business": [
            "Jeg har en lille virksomhed og vil gerne have den til at vokse.",
            "Jeg har en idé til en virksomhed, som jeg gerne vil føre ud i livet.",
        ],
    },
    "nb": {
        "and": " og ",
        "origin": [
            "Jeg kommer fra {country} og kom til {home} i {year}.",
            "Jeg er født i {country} og har bodd i {home} siden {year}.",
            "Jeg flyttet fra {country} til {home} i {year}.",
        ],
        "here": ["Jeg har bodd her i landet siden {year}.", "Jeg kom hit i {year}."],
        "domain": [
            "Jeg er utdannet innen {domain} og har flere års erfaring.",
            "Jeg har jobbet med {domain} i mange år.",
            "Faget mitt er {domain}, og det vil jeg gjerne tilbake til.",
        ],
        "field": ["Jeg har utdanning innen {field}.", "Utdanningen min er innen {field}."],
        "goal": {
            "job": "Nå ønsker jeg meg en jobb der jeg kan bruke det jeg kan.",
            "job_in_field": "Målet mitt er å få jobbe i mitt eget fag igjen.",
            "education": "Jeg drømmer om å ta en utdanning her.",
            "language": "Jeg jobber hardt for å bli bedre i norsk.",
            "network": "Jeg mangler et nettverk og vil gjerne bygge et.",
            "self_esteem": "Jeg vil gjerne få tilbake troen på meg selv.",
            "business": "Jeg drømmer om å starte min egen bedrift.",
            "society": "Jeg vil gjerne forstå bedre hvordan arbeidslivet fungerer.",
        },
        "wish": [
            "Jeg ønsker meg en mentor som {need}.",
            "Jeg håper å møte en mentor som {need}.",
        ],
        "wish_more": ["Det hadde også vært fint om mentoren min {need}."],
        "need": {
            "job": "kan hjelpe meg med jobbsøking og søknader",
            "job_in_field": "jobber i samme fag og kjenner bransjen",
            "education": "kjenner utdanningssystemet og kan gi meg råd",
            "language": "har tålmodighet til å snakke norsk med meg",
            "network": "vil introdusere meg for nettverket sitt",
            "self_esteem": "kan gi meg mot og støtte",
            "business": "selv har drevet en bedrift",
            "society": "kan forklare de uskrevne reglene i arbeidslivet",
        },
        "wish_interest": ["Det hadde vært hyggelig om vi også kunne snakke om {interest}."],
        "interests": ["På fritiden liker jeg {interests}.", "Jeg er interessert i {interests}."],
        "interest": {
            "children": "barn og familieliv", "sports": "trening og idrett",
            "outdoors": "turer i naturen", "culture": "kunst, film og teater",
            "music": "musikk", "reading": "bøker og litteratur", "cooking": "matlaging",
            "crafts": "håndarbeid og design", "technology": "teknologi", "travel": "reiser",
            "volunteering": "frivillig arbeid", "politics": "samfunn og politikk",
        },
        "mentor_work": [
            "Jeg har jobbet med {domain} i {years} år.",
            "Til daglig jobber jeg med {domain}, og det har jeg gjort i {years} år.",
        ],
        "mentor_why": [
            "Jeg vil gjerne dele erfaringen og nettverket mitt med en som er ny i landet.",
            "Selv hadde jeg god nytte av en mentor, og nå vil jeg gi noe tilbake.",
            "Jeg vet hvor mye et nettverk betyr for å komme inn i arbeidslivet.",
            "Jeg tror vi kan lære mye av hverandre.",
        ],
        "mentor_help": ["Jeg kan særlig hjelpe med {helps}."],
        "help": {
            "job_search": "jobbsøking", "cv": "CV og søknader",
            "interview_practice": "forberedelse til jobbintervju",
            "network": "å åpne nettverket mitt", "language": "språktrening",
            "education_system": "råd om utdanningssystemet",
            "entrepreneurship": "å starte egen bedrift", "workplace_culture": "arbeidslivskultur",
        },
        "availability": [
            "Hverdager etter kl. 16", "Et par timer annenhver uke",
            "Fleksibelt, helst tirsdag eller torsdag", "Helger og noen kvelder",
            "Onsdager etter jobb",
        ],
        "workplace": ["Et regnskapsbyrå i {city}", "Kommunen", "En videregående skole i {city}",
                      "Et IT-selskap i {city}", "Sykehuset i {city}", "Et ingeniørfirma"],
        "business_name": ["{first}s Kjøkken", "Atelier {first}", "{last} Design"],
        "business": ["Jeg har en liten bedrift som jeg vil få til å vokse."],
    },
    "is": {
        "and": " og ",
        "origin": [
            "Upprunaland mitt er {country} og ég flutti hingað árið {year}.",
            "Ég hef búið hér síðan {year}, en upprunaland mitt er {country}.",
        ],
        "here": ["Ég flutti hingað árið {year}."],
        "domain": [
            "Fagsvið mitt er {domain} og ég hef nokkurra ára reynslu.",
            "Starfssvið mitt heima var {domain}.",
        ],
        "field": ["Námssvið mitt er {field}."],
        "goal": {
            "job": "Mig langar að fá vinnu þar sem ég get nýtt hæfileika mína.",
            "job_in_field": "Markmið mitt er að fá aftur vinnu á mínu sviði.",
            "education": "Mig dreymir um að fara í nám hér.",
            "language": "Ég legg mig fram við að læra íslensku.",
            "network": "Mig vantar tengslanet og vil byggja það upp.",
            "self_esteem": "Mig langar að öðlast meira sjálfstraust.",
            "business": "Mig dreymir um að stofna mitt eigið fyrirtæki.",
            "society": "Mig langar að skilja betur hvernig samfélagið virkar.",
        },
        "wish": [
            "Ég óska mér leiðbeinanda sem {need}.", "Ég vonast eftir leiðbeinanda sem {need}.",
        ],
        "wish_more": ["Það væri líka gott ef leiðbeinandinn {need}."],
        "need": {
            "job": "getur hjálpað mér við atvinnuleit",
            "job_in_field": "starfar á sama sviði og ég",
            "education": "þekkir menntakerfið vel",
            "language": "hefur þolinmæði til að tala íslensku við mig",
            "network": "vill kynna mig fyrir tengslaneti sínu",
            "self_esteem": "getur veitt mér stuðning og hvatningu",
            "business": "hefur sjálf rekið fyrirtæki",
            "society": "getur útskýrt óskrifaðar reglur á vinnustöðum",
        },
        "wish_interest": ["Áhugamál sem við gætum deilt: {interest}."],
        "interests": ["Áhugamál mín eru {interests}."],
        "interest": {
            "children": "börn og fjölskyldulíf", "sports": "íþróttir og hreyfing",
            "outdoors": "útivist og náttúra", "culture": "listir, kvikmyndir og leikhús",
            "music": "tónlist", "reading": "bækur og lestur", "cooking": "matargerð",
            "crafts": "handverk og hönnun", "technology": "tækni", "travel": "ferðalög",
            "volunteering": "sjálfboðastarf", "politics": "samfélagsmál og stjórnmál",
        },
        "mentor_work": [
            "Fagsvið mitt er {domain} og ég hef starfað á því í {years} ár.",
            "Starfssvið mitt er {domain}.",
        ],
        "mentor_why": [
            "Mig langar að deila reynslu minni og tengslaneti með konu sem er nýflutt hingað.",
            "Ég hafði sjálf gott af leiðbeinanda og vil gefa til baka.",
            "Ég veit hversu mikilvægt tengslanet er á vinnumarkaði.",
        ],
        "mentor_help": ["Ég get helst aðstoðað með þetta: {helps}."],
        "help": {
            "job_search": "atvinnuleit", "cv": "ferilskrá og umsóknir",
            "interview_practice": "undirbúningur fyrir atvinnuviðtöl",
            "network": "tengslanetið mitt", "language": "tungumálaþjálfun",
            "education_system": "menntakerfið", "entrepreneurship": "stofnun fyrirtækis",
            "workplace_culture": "vinnustaðamenning",
        },
        "availability": [
            "Virka daga eftir klukkan 16", "Nokkra tíma aðra hverja viku",
            "Sveigjanlegt, helst á þriðjudögum", "Um helgar og stöku kvöld",
        ],
        "workplace": ["Sveitarfélagið", "Skóli í {city}", "Tæknifyrirtæki í {city}",
                      "Heilbrigðisstofnun í {city}"],
        "business_name": ["Vinnustofa {first}", "{first} Hönnun"],
        "business": ["Ég rek lítið fyrirtæki og vil láta það vaxa."],
    },
    "en": {
        "and": " and ",
        "origin": [
            "I am from {country} and came to {home} in {year}.",
            "I was born in {country} and have lived in {home} since {year}.",
            "I moved from {country} to {home} in {year}.",
        ],
        "here": ["I have lived here since {year}.", "I came here in {year}."],
        "domain": [
            "I trained in {domain} and have several years of experience.",
            "I have worked in {domain} for many years.",
            "My profession is {domain}, and I want to get back to it.",
        ],
        "field": ["I studied {field}.", "My education is in {field}."],
        "goal": {
            "job": "Now I want a job where I can use what I know.",
            "job_in_field": "My main goal is to work in my own field again.",
            "education": "I would like to take an education here.",
            "language": "I am working hard on my language skills.",
            "network": "I do not have a network yet, and I want to build one.",
            "self_esteem": "I want to feel confident in my abilities again.",
            "business": "I dream of starting my own business.",
            "society": "I want to understand better how working life here works.",
        },
        "wish": ["I would like a mentor who {need}.", "I hope to meet a mentor who {need}."],
        "wish_more": ["It would also help if my mentor {need}."],
        "need": {
            "job": "can help me with job search and applications",
            "job_in_field": "works in my field and knows the industry",
            "education": "knows the education system and can advise me",
            "language": "has the patience to practise the language with me",
            "network": "can introduce me to people in the field",
            "self_esteem": "can encourage me",
            "business": "has run a business",
            "society": "can explain the unwritten rules of the workplace",
        },
        "wish_interest": ["It would be nice if we could also talk about {interest}."],
        "interests": ["In my free time I enjoy {interests}.", "I am interested in {interests}."],
        "interest": {
            "children": "children and family life", "sports": "sports and exercise",
            "outdoors": "nature and the outdoors", "culture": "art, film and theatre",
            "music": "music", "reading": "books", "cooking": "cooking",
            "crafts": "crafts and design", "technology": "technology", "travel": "travel",
            "volunteering": "volunteering", "politics": "society and politics",
        },
        "mentor_work": [
            "I have worked in {domain} for {years} years.",
            "I work in {domain} and have done so for {years} years.",
        ],
        "mentor_why": [
            "I want to share my experience and my network with someone new to the country.",
            "I had a mentor myself, and now I want to give something back.",
            "I know how much a network matters when you look for work.",
            "I believe we will learn a lot from each other.",
        ],
        "mentor_help": ["I can help most with {helps}.", "I can offer help with {helps}."],
        "help": {
            "job_search": "job search", "cv": "CVs and applications",
            "interview_practice": "preparing for job interviews", "network": "my network",
            "language": "language practice", "education_system": "the education system",
            "entrepreneurship": "starting a business", "workplace_culture": "workplace culture",
        },
        "availability": [
            "Weekdays after 5 pm", "Lunch hours and early evenings",
            "A few hours every other week", "Flexible, preferably Tuesdays or Thursdays",
            "Weekends and some evenings",
        ],
        "workplace": ["An accounting firm in {city}", "The city administration",
                      "A school in {city}", "A software company in {city}",
                      "A hospital in {city}", "An engineering firm"],
        "business_name": ["{first}'s Kitchen", "{last} Crafts", "Studio {first}",
                          "{city} Textiles"],
        "business": {
            "idea": "I have an idea for a business in {sector} and want to make it real.",
            "starting": "I started my business in {sector} a few months ago.",
            "early": "My business in {sector} is a couple of years old.",
            "growing": "My business in {sector} is growing, and I want to take the next step.",
            "established": "I have run my business in {sector} for many years.",
        },
        "mentor_business": ["I run a business in {sector} and know the first years are hard."],
        "sector": {
            "agriculture": "agriculture", "manufacturing": "manufacturing", "energy": "energy",
            "construction": "construction", "trade": "trade", "transport": "transport",
            "hospitality": "hospitality and tourism", "ict": "digital services",
            "finance": "finance", "real_estate": "real estate", "professional": "consulting",
            "administrative": "business services", "public": "the public sector",
            "education": "education", "health": "health and care", "arts": "arts and culture",
            "other_services": "personal services", "crafts_textiles": "crafts and textiles",
        },
    },
    "fr": {
        "and": " et ",
        "origin": [
            "Je suis originaire {from_country} et je vis ici depuis {year}.",
            "Je viens {from_country} et j'habite ici depuis {year}.",
        ],
        "here": ["Je vis ici depuis {year}."],
        "domain": [
            "Mon métier, c'est {domain}, et j'ai plusieurs années d'expérience.",
            "J'ai travaillé {in_domain} pendant des années.",
        ],
        "field": ["J'ai fait mes études en {field}."],
        "goal": {
            "job": "Je veux trouver un emploi où je peux utiliser mes compétences.",
            "job_in_field": "Mon objectif est de travailler à nouveau dans mon métier.",
            "education": "J'aimerais reprendre des études.",
            "language": "Je travaille beaucoup pour améliorer mon niveau de langue.",
            "network": "Je n'ai pas encore de réseau, et je veux en construire un.",
            "self_esteem": "Je veux reprendre confiance en moi.",
            "business": "Je veux faire grandir mon entreprise.",
            "society": "Je veux mieux comprendre le fonctionnement du monde du travail.",
        },
        "wish": [
            "Je souhaite un mentor qui {need}.",
            "J'espère rencontrer une personne qui {need}.",
        ],
        "wish_more": ["Ce serait bien aussi que mon mentor {need}."],
        "need": {
            "job": "puisse m'aider à chercher un emploi",
            "job_in_field": "travaille dans mon domaine et connaisse le secteur",
            "education": "connaisse le système éducatif",
            "language": "ait la patience de pratiquer la langue avec moi",
            "network": "puisse me présenter à son réseau",
            "self_esteem": "puisse m'encourager",
            "business": "ait déjà dirigé une entreprise",
            "society": "puisse m'expliquer les règles non écrites du travail",
        },
        "wish_interest": ["Ce serait agréable de parler aussi de {interest_de}."],
        "interests": [
            "J'aime {interests}.", "En dehors du travail, ce qui me passionne : {interests}.",
        ],
        "interest": {
            "children": "les enfants et la vie de famille", "sports": "le sport",
            "outdoors": "la nature et les randonnées", "culture": "l'art, le cinéma et le théâtre",
            "music": "la musique", "reading": "la lecture", "cooking": "la cuisine",
            "crafts": "l'artisanat et le design", "technology": "les nouvelles technologies",
            "travel": "les voyages", "volunteering": "le bénévolat",
            "politics": "la société et la politique",
        },
        "mentor_work": [
            "Je travaille {in_domain} depuis {years} ans.",
            "Mon métier, c'est {domain}, depuis {years} ans.",
        ],
        "mentor_why": [
            "Je veux partager mon expérience et mon réseau.",
            "J'ai moi-même eu un mentor, et je veux rendre ce que j'ai reçu.",
            "Je sais combien un réseau compte pour trouver sa place.",
            "Je crois que nous avons beaucoup à apprendre ensemble.",
        ],
        "mentor_help": ["Je peux surtout aider pour : {helps}."],
        "help": {
            "job_search": "la recherche d'emploi", "cv": "le CV et les candidatures",
            "interview_practice": "la préparation aux entretiens",
            "network": "l'accès à mon réseau",
            "language": "la pratique de la langue", "education_system": "le système éducatif",
            "entrepreneurship": "la création d'entreprise",
            "workplace_culture": "la culture du travail",
        },
        "availability": [
            "En semaine après 17 h", "Le samedi matin", "Quelques heures toutes les deux semaines",
            "Souple, de préférence le mardi ou le jeudi", "Pendant la pause de midi",
        ],
        "workplace": ["Un cabinet comptable à {city}", "L'administration municipale",
                      "Une école à {city}", "Une entreprise informatique à {city}"],
        "business_name": ["Atelier {first}", "Les Délices de {first}", "{first} Couture",
                          "Maison {last}", "Saveurs de {city}", "Coopérative Nour"],
        "business": {
            "idea": "J'ai un projet d'entreprise dans {sector} et je veux le concrétiser.",
            "starting": "J'ai lancé mon activité dans {sector} il y a quelques mois.",
            "early": "Mon entreprise dans {sector} existe depuis deux ou trois ans.",
            "growing": "Mon activité dans {sector} se développe et je veux passer un cap.",
            "established": "Je dirige depuis longtemps une entreprise dans {sector}.",
        },
        "mentor_business": [
            "Je dirige une entreprise dans {sector} et je sais combien les débuts sont durs.",
        ],
        "sector": {
            "agriculture": "l'agriculture", "manufacturing": "l'industrie",
            "energy": "l'énergie", "construction": "le bâtiment", "trade": "le commerce",
            "transport": "le transport", "hospitality": "la restauration et le tourisme",
            "ict": "le numérique", "finance": "la finance", "real_estate": "l'immobilier",
            "professional": "le conseil", "administrative": "les services aux entreprises",
            "public": "le secteur public", "education": "l'éducation", "health": "la santé",
            "arts": "les arts et la culture", "other_services": "les services à la personne",
            "crafts_textiles": "l'artisanat et le textile",
        },
    },
    "ar": {
        "and": " و",
        "comma": "، ",
        "origin": [
            "أنا من {country}، وأعيش هنا منذ عام {year}.",
            "بلدي الأصلي هو {country}، وانتقلت إلى هنا سنة {year}.",
        ],
        "here": ["أعيش هنا منذ عام {year}."],
        "domain": [
            "تخصصي هو {domain}، ولدي خبرة عدة سنوات.",
            "عملت في مجال {domain} لسنوات.",
        ],
        "field": ["درست في مجال {field}."],
        "goal": {
            "job": "أريد أن أجد عملاً أستفيد فيه من مهاراتي.",
            "job_in_field": "هدفي أن أعود إلى العمل في تخصصي.",
            "education": "أرغب في متابعة دراستي.",
            "language": "أعمل جاهدة على تحسين مستواي في اللغة.",
            "network": "أحتاج إلى شبكة علاقات مهنية وأريد أن أبنيها.",
            "self_esteem": "أريد أن أستعيد ثقتي بنفسي.",
            "business": "أريد أن أطور مشروعي وأن أجعله يكبر.",
            "society": "أريد أن أفهم أكثر كيف يسير عالم الشغل.",
        },
        "wish": ["أتمنى مرشدة {need}.", "أرجو أن ألتقي بمرشدة {need}."],
        "wish_more": ["ومن المفيد أيضاً أن تكون مرشدة {need}."],
        "need": {
            "job": "تساعدني في البحث عن عمل",
            "job_in_field": "تعمل في مجالي وتعرف القطاع",
            "education": "تعرف النظام التعليمي",
            "language": "تتحلى بالصبر لممارسة اللغة معي",
            "network": "تعرفني على شبكة علاقاتها",
            "self_esteem": "تشجعني وتدعمني",
            "business": "لها تجربة في إدارة مقاولة",
            "society": "تشرح لي القواعد غير المكتوبة في العمل",
        },
        "wish_interest": ["سيكون جميلاً أن نتحدث أيضاً عن {interest}."],
        "interests": ["أحب {interests}.", "من اهتماماتي: {interests}."],
        "interest": {
            "children": "الأطفال والحياة العائلية", "sports": "الرياضة",
            "outdoors": "الطبيعة والتنزه", "culture": "الفن والسينما والمسرح",
            "music": "الموسيقى", "reading": "القراءة", "cooking": "الطبخ",
            "crafts": "الحرف اليدوية والتصميم", "technology": "التكنولوجيا", "travel": "السفر",
            "volunteering": "العمل التطوعي", "politics": "الشأن العام",
        },
        "mentor_work": ["أعمل في مجال {domain} منذ سنوات.", "تخصصي هو {domain}."],
        "mentor_why": [
            "أريد أن أشارك تجربتي وشبكة علاقاتي.",
            "استفدت بنفسي من مرشدة، وأريد أن أرد الجميل.",
            "أعرف كم تساعد شبكة العلاقات على النجاح.",
            "أؤمن بأننا سنتعلم الكثير من بعضنا البعض.",
        ],
        "mentor_help": ["يمكنني المساعدة خاصة في: {helps}."],
        "help": {
            "job_search": "البحث عن عمل", "cv": "السيرة الذاتية وطلبات التوظيف",
            "interview_practice": "التحضير لمقابلات العمل", "network": "شبكة علاقاتي",
            "language": "ممارسة اللغة", "education_system": "النظام التعليمي",
            "entrepreneurship": "إنشاء مشروع", "workplace_culture": "ثقافة العمل",
        },
        "availability": [
            "أيام الأسبوع بعد الساعة الخامسة", "صباح السبت", "بضع ساعات كل أسبوعين",
            "مرنة، ويفضل يوم الثلاثاء أو الخميس",
        ],
        "workplace": ["مكتب محاسبة في {city}", "الإدارة المحلية", "مدرسة في {city}"],
        "business_name": ["تعاونية الأمل", "مشغل {first}", "دار {first} للخياطة",
                          "حلويات {first}", "نكهات {city}"],
        "business": {
            "idea": "لدي فكرة مشروع في مجال {sector} وأريد تحقيقها.",
            "starting": "بدأت مشروعي في مجال {sector} منذ بضعة أشهر.",
            "early": "مشروعي في مجال {sector} عمره سنتان تقريباً.",
            "growing": "مشروعي في مجال {sector} ينمو وأريد أن أنتقل إلى مرحلة جديدة.",
            "established": "أدير مقاولة في مجال {sector} منذ سنوات طويلة.",
        },
        "mentor_business": ["أدير مقاولة في مجال {sector} وأعرف صعوبة البدايات."],
        "sector": {
            "agriculture": "الفلاحة", "manufacturing": "الصناعة", "energy": "الطاقة",
            "construction": "البناء", "trade": "التجارة", "transport": "النقل",
            "hospitality": "الفندقة والسياحة", "ict": "الخدمات الرقمية", "finance": "المالية",
            "real_estate": "العقار", "professional": "الاستشارات",
            "administrative": "خدمات المقاولات", "public": "القطاع العام",
            "education": "التعليم", "health": "الصحة", "arts": "الفنون والثقافة",
            "other_services": "الخدمات الشخصية",
            "crafts_textiles": "الصناعة التقليدية والنسيج",
        },
    },
}  # fmt: skip
# Locales without their own bank (fi, sv) write in English rather than not at all.
TEXT_FALLBACK = "en"

# "de" + a French country name, with the article and elision it takes.
FRENCH_FROM = {
    "IQ": "d'Irak", "RU": "de Russie", "IR": "d'Iran", "PL": "de Pologne", "CN": "de Chine",
    "TR": "de Turquie", "SO": "de Somalie", "BR": "du Brésil", "UA": "d'Ukraine",
    "PK": "du Pakistan", "SY": "de Syrie", "AF": "d'Afghanistan", "ER": "d'Érythrée",
    "LB": "du Liban", "VN": "du Viêt Nam", "TH": "de Thaïlande", "PH": "des Philippines",
    "IN": "d'Inde", "RO": "de Roumanie", "BA": "de Bosnie-Herzégovine", "MA": "du Maroc",
    "EG": "d'Égypte", "ET": "d'Éthiopie", "LT": "de Lituanie", "LV": "de Lettonie",
    "DE": "d'Allemagne", "NG": "du Nigeria", "CO": "de Colombie", "MX": "du Mexique",
    "KE": "du Kenya", "LK": "du Sri Lanka", "BD": "du Bangladesh", "US": "des États-Unis",
    "UG": "d'Ouganda", "SD": "du Soudan", "AL": "d'Albanie", "VE": "du Venezuela",
    "KR": "de Corée du Sud", "DZ": "d'Algérie", "SN": "du Sénégal", "CI": "de Côte d'Ivoire",
    "CM": "du Cameroun",
}  # fmt: skip
# English names that read with "the" ("from the Philippines").
ENGLISH_THE = ("PH", "US", "GB", "NL", "AE")
_NOT_A_LETTER = re.compile(r"[^a-z0-9]+")


@cache
def _territories(locale: str) -> Mapping[str, str]:
    return Locale.parse(locale).territories


def _country_name(code: str, locale: str) -> str:
    name = _territories(locale).get(code, code)
    if locale == "en" and code in ENGLISH_THE:
        return f"the {name}"
    return name


@cache
def _field_labels(locale: str) -> dict[str, str]:
    return dict(isced_fields(locale))


def _lower_first(text: str) -> str:
    """ "Sundhed og velfærd" -> "sundhed og velfærd", but "IT" and "HR" stay as they are."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _french_de(phrase: str) -> str:
    """ "de" before a French noun phrase: du, des, de la, de l'."""
    if phrase.startswith("le "):
        return "du " + phrase[3:]
    if phrase.startswith("les "):
        return "des " + phrase[4:]
    return "de " + phrase


def _french_in(phrase: str) -> str:
    """ "dans" + a domain with its article: "dans la comptabilité", "dans l'informatique"."""
    return "dans " + phrase


def _join(items: Sequence[str], bank: Mapping[str, Any]) -> str:
    """ "a, b and c" in the bank's language (Arabic has its own comma)."""
    if len(items) <= 1:
        return "".join(items)
    return bank.get("comma", ", ").join(items[:-1]) + bank["and"] + items[-1]


# --- helpers ------------------------------------------------------------------------------


def _weighted(rng: random.Random, weights: Mapping[K, float]) -> K:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _weighted_sample(rng: random.Random, weights: Mapping[K, float], count: int) -> list[K]:
    """``count`` distinct keys, heavier ones more likely; in the order they were drawn."""
    pool = {key: weight for key, weight in weights.items() if weight > 0}
    chosen: list[K] = []
    while pool and len(chosen) < count:
        key = _weighted(rng, pool)
        chosen.append(key)
        del pool[key]
    return chosen


def _email_part(text: str) -> str:
    folded = normalize(text).replace("\u0131", "i")  # Turkish dotless i
    return _NOT_A_LETTER.sub(".", folded).strip(".")


def _moment(today: date, days_ago: int, rng: random.Random) -> datetime:
    """A daytime moment ``days_ago`` days before today, in UTC, never later than yesterday."""
    midnight = datetime.combine(today, time(0), tzinfo=UTC)
    return midnight - timedelta(days=days_ago + 1) + timedelta(seconds=rng.randint(28800, 72000))


# --- one person ---------------------------------------------------------------------------


@dataclass
class _Context:
    """What every person of one tenant and kind shares, computed once per call."""

    settings: TenantSettings
    kind: str
    programme: Programme
    collected: frozenset[str]
    offices: dict[str, float]
    cities: dict[str, str]
    help_keys: dict[str, float]
    questions: list[IntakeQuestion]
    today: date
    cycle_days: int


def _context(settings: TenantSettings, kind: str, today: date) -> _Context:
    programme = PROGRAMMES.get(settings.country, DEFAULT_PROGRAMME)
    # The first office is usually the main one: weights 1, 0.41, 0.24, ...
    offices = {office.key: 1 / (index + 1) ** 1.3 for index, office in enumerate(settings.offices)}
    cities = {office.key: office.city or "" for office in settings.offices}
    help_keys = {key: weight for key, weight in HELP_WEIGHTS.items() if key in HELPS_WITH}
    if "business_stage" in settings.profile.fields:
        help_keys["entrepreneurship"] = 25
    for item in settings.profile.help_items:
        help_keys[item.key] = 14
    questions = [
        q for q in settings.intake_questions if not q.retired and q.audience in (kind, "both")
    ]
    return _Context(
        settings=settings,
        kind=kind,
        programme=programme,
        collected=frozenset(settings.profile.fields),
        offices=offices,
        cities=cities,
        help_keys=help_keys,
        questions=questions,
        today=today,
        cycle_days=int(settings.cycle.months * 30.4),
    )


def _origin(ctx: _Context, rng: random.Random) -> str:
    if ctx.kind == "mentee":
        return _weighted(rng, ctx.programme.origins)
    if rng.random() < ctx.programme.mentors_born_abroad:
        return _weighted(rng, ctx.programme.origins)
    return ctx.settings.country


def _name(origin: str, woman: bool, rng: random.Random) -> tuple[str, str]:
    """(first name, last name) in Latin letters, from the pool for her origin."""
    pool = NAME_POOLS[ORIGINS[origin][0] if origin in ORIGINS else "ca"]
    first = rng.choice(pool.women if woman else pool.men)
    last = rng.choice(pool.last_men if not woman and pool.last_men else pool.last)
    return first, last


def _display(name: str, locale: str) -> str:
    """The name as she writes it: Moroccan names in Arabic script for Arabic readers."""
    return MOROCCAN_ARABIC.get(name, name) if locale == "ar" else name


def _languages(ctx: _Context, origin: str, education: int, rng: random.Random) -> list[str]:
    """The tenant's language first, then her own, then English and others she may speak."""
    spoken = [ctx.settings.default_locale]
    if origin == ctx.settings.country:
        extra = LOCAL_EXTRA_LANGUAGES.get(origin, DEFAULT_LOCAL_EXTRA)
        own: tuple[tuple[str, float], ...] = ()
    else:
        own = ORIGINS.get(origin, ("", (("en", 0.5),)))[1]
        english = min(0.9, 0.2 + 0.09 * education)
        extra = (("en", english),)
    for language, probability in (*own, *extra):
        if language in LANGUAGES and language not in spoken and rng.random() < probability:
            spoken.append(language)
    for locale in ctx.settings.locales[1:]:
        # Some also read the tenant's other languages (French in Morocco and Toronto).
        if locale not in spoken and rng.random() < 0.35:
            spoken.append(locale)
    return spoken


def _preferred_locale(ctx: _Context, languages: list[str], local: bool, rng: random.Random) -> str:
    """Mostly the tenant's own language; newcomers choose another one more often."""
    readable = [loc for loc in ctx.settings.locales if loc in languages]
    if not readable:
        return ctx.settings.default_locale
    own = 9.0 if local else 3.0
    weights = {loc: (own if loc == ctx.settings.default_locale else 1.5) for loc in readable}
    return _weighted(rng, weights)


def _profession(ctx: _Context, rng: random.Random) -> str:
    weights = ctx.programme.mentee_isco if ctx.kind == "mentee" else ctx.programme.mentor_isco
    units = _units_by_major()
    major = _weighted(rng, {m: w for m, w in weights.items() if m in units})
    common = _common_by_major().get(major)
    if common and rng.random() < ctx.programme.common_share:
        return rng.choice(common)
    return rng.choice(units[major])


# The ISCED level an ISCO major group usually needs (its skill level); most people have it.
MIN_LEVEL_BY_MAJOR = {"1": 5, "2": 6, "3": 4, "4": 3, "5": 2, "6": 2, "7": 3, "8": 2, "9": 2}


def _education_level(ctx: _Context, profession: str, rng: random.Random) -> int:
    programme = ctx.programme
    weights = programme.mentee_education if ctx.kind == "mentee" else programme.mentor_education
    floor = MIN_LEVEL_BY_MAJOR.get(profession[0], 2)
    fitting = {level: w for level, w in weights.items() if level >= floor}
    if fitting and rng.random() < 0.85:
        return _weighted(rng, fitting)
    return _weighted(rng, weights)


def _education_field(level: int, profession: str | None, rng: random.Random) -> str:
    fields = list(_field_labels("en"))
    if level <= 3 and rng.random() < 0.6:
        return "00"
    likely = _by_isco(FIELD_BY_ISCO, profession)
    if likely and rng.random() < 0.75:
        return rng.choice(likely)
    return rng.choice([code for code in fields if code != "00"])


def _sector(ctx: _Context, profession: str | None, rng: random.Random) -> str:
    likely = _by_isco(SECTOR_BY_ISCO, profession)
    if likely and rng.random() < 0.7:
        return rng.choice(likely)
    return _weighted(rng, {k: w for k, w in ctx.programme.sectors.items() if k in SECTORS})


def _birth_date(ctx: _Context, rng: random.Random) -> date:
    if ctx.kind == "mentee":
        bands = {(MIN_AGE, 24): 10, (25, 34): 35, (35, 44): 32, (45, 54): 16, (55, MAX_AGE): 7}
    else:
        bands = {(MENTOR_MIN_AGE, 39): 25, (40, 49): 32, (50, 59): 28, (60, MAX_AGE): 15}
    low, high = _weighted(rng, bands)
    age = rng.randint(low, high)
    # Born between age+1 years and age years ago, so her age today is exactly ``age``.
    latest = _years_before(ctx.today, age)
    earliest = _years_before(ctx.today, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randint(0, (latest - earliest).days))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _arrival_year(born: date, created: datetime, rng: random.Random) -> int:
    """After her tenth birthday year, not after she signed up; most came in the last decade."""
    earliest = born.year + 11
    latest = created.year
    gap = min(int(rng.expovariate(1 / 6)), latest - earliest)
    return latest - gap


def _status_and_dates(ctx: _Context, rng: random.Random) -> dict[str, Any]:
    status = _weighted(rng, STATUS_WEIGHTS[ctx.kind])
    oldest = HISTORY_DAYS - 2
    ranges = {
        "applied": (0, 60),
        "interviewed": (7, 120),
        "ready": (14, oldest),
        "matched": (30, min(oldest, ctx.cycle_days + 365)),
        "alumni": (min(oldest - 1, ctx.cycle_days + 30), oldest),
        "paused": (30, oldest),
        "withdrawn": (30, oldest),
    }
    low, high = ranges[status]
    created_days = rng.randint(low, high)
    created_at = _moment(ctx.today, created_days, rng)
    ready_since = None
    if status == "ready":
        ready_days = rng.randint(0, min(MAX_READY_DAYS, created_days - 7))
        ready_since = _moment(ctx.today, ready_days, rng)
        changed = ready_since
    elif status == "applied":
        changed = created_at
    else:
        changed = _moment(ctx.today, rng.randint(0, max(0, created_days - 1)), rng)
        changed = max(changed, created_at)
    return {
        "status": status,
        "created_at": created_at,
        "updated_at": changed,
        "status_changed_at": changed,
        "ready_since": ready_since,
    }


def _phrases(locale: str) -> dict[str, Any]:
    return PHRASES.get(locale) or PHRASES[TEXT_FALLBACK]


def _domain(profession: str | None, locale: str) -> str | None:
    words = COMMON_PROFESSIONS.get(profession or "")
    if not words:
        return None
    return words.get(locale) or words.get(TEXT_FALLBACK)


def _fill(template: str, values: Mapping[str, Any]) -> str:
    return template.format_map(values)


def _text_values(person: dict[str, Any], locale: str, ctx: _Context) -> dict[str, Any]:
    """Everything a template may name, in the person's locale."""
    values: dict[str, Any] = {
        "home": _country_name(ctx.settings.country, locale),
        "city": person["_city"],
        "first": person["_first_display"],
        "last": person["_last_display"],
    }
    origin = person["_origin"]
    values["country"] = _country_name(origin, locale)
    if origin in FRENCH_FROM:
        values["from_country"] = FRENCH_FROM[origin]
    domain = _domain(person.get("profession") or person["_profession"], locale)
    if domain:
        values["domain"] = domain
        if locale == "fr":
            values["in_domain"] = _french_in(domain)
    field_code = person.get("education_field") or person["_field"]
    if field_code and field_code != "00":
        label = _field_labels(locale).get(field_code)
        if label:
            values["field"] = _lower_first(label)
    values["year"] = person["_arrival"]
    values["years"] = person["_experience"]
    sector = person.get("sector") or person["_sector"]
    sector_words = _phrases(locale).get("sector", {})
    if sector in sector_words:
        values["sector"] = sector_words[sector]
    return values


def _usable(templates: Sequence[str], values: Mapping[str, Any]) -> list[str]:
    """Templates whose every placeholder has a value."""
    return [t for t in templates if all(name in values for name in re.findall(r"{(\w+)}", t))]


def _sentence(rng: random.Random, templates: Sequence[str], values: Mapping[str, Any]) -> str:
    usable = _usable(templates, values)
    return _fill(rng.choice(usable), values) if usable else ""


def _interest_sentence(
    rng: random.Random, bank: Mapping[str, Any], interests: Sequence[str]
) -> str:
    # Two at most: the phrases have "and" inside them already ("art, film and theatre").
    words = [bank["interest"][key] for key in interests[:2] if key in bank["interest"]]
    if not words:
        return ""
    return _fill(rng.choice(bank["interests"]), {"interests": _join(words, bank)})


def _mentee_story(person: dict[str, Any], locale: str, ctx: _Context, rng: random.Random) -> str:
    bank = _phrases(locale)
    values = _text_values(person, locale, ctx)
    parts: list[str] = []
    if person["_entrepreneur"]:
        stage = person.get("business_stage") or person["_stage"]
        business = bank.get("business")
        if isinstance(business, dict):
            parts.append(_sentence(rng, [business[stage]], values))
        elif business:
            parts.append(rng.choice(business))
    if person["_origin"] != ctx.settings.country:
        origin_templates = bank["origin"] if rng.random() < 0.8 else bank["here"]
        parts.append(
            _sentence(rng, origin_templates, values) or _sentence(rng, bank["here"], values)
        )
    if "domain" in values and rng.random() < 0.85:
        parts.append(_sentence(rng, bank["domain"], values))
    elif "field" in values:
        parts.append(_sentence(rng, bank["field"], values))
    goals = person["goals"] or person["_goals"]
    if goals and not (person["_entrepreneur"] and goals[0] == "business"):
        parts.append(bank["goal"].get(goals[0], ""))
    if person["interests"] and rng.random() < 0.6:
        parts.append(_interest_sentence(rng, bank, person["interests"]))
    return " ".join(part for part in parts if part)


def _mentor_story(person: dict[str, Any], locale: str, ctx: _Context, rng: random.Random) -> str:
    bank = _phrases(locale)
    values = _text_values(person, locale, ctx)
    parts: list[str] = []
    if person["_entrepreneur"] and "sector" in values and bank.get("mentor_business"):
        parts.append(_sentence(rng, bank["mentor_business"], values))
    elif "domain" in values:
        parts.append(_sentence(rng, bank["mentor_work"], values))
    elif "field" in values:
        parts.append(_sentence(rng, bank["field"], values))
    parts.append(rng.choice(bank["mentor_why"]))
    helps = person["helps_with"] or person["_helps"]
    words = [w for w in (_help_words(key, locale, ctx) for key in helps[:2]) if w]
    if words:
        parts.append(_fill(rng.choice(bank["mentor_help"]), {"helps": _join(words, bank)}))
    if person["interests"] and rng.random() < 0.5:
        parts.append(_interest_sentence(rng, bank, person["interests"]))
    return " ".join(part for part in parts if part)


def _help_words(key: str, locale: str, ctx: _Context) -> str:
    bank = _phrases(locale)
    if key in bank["help"]:
        return bank["help"][key]
    for item in ctx.settings.profile.help_items:
        if item.key == key:
            return _lower_first(localized(item.label, locale, ctx.settings.default_locale))
    return ""


def _wishes(person: dict[str, Any], locale: str, rng: random.Random) -> str:
    bank = _phrases(locale)
    goals = person["goals"] or person["_goals"]
    needs = [bank["need"][g] for g in goals if g in bank["need"]]
    if not needs:
        needs = [bank["need"]["network"]]
    parts = [_fill(rng.choice(bank["wish"]), {"need": needs[0]})]
    if len(needs) > 1:
        parts.append(_fill(rng.choice(bank["wish_more"]), {"need": needs[1]}))
    interests = person["interests"]
    if interests and rng.random() < 0.5 and interests[0] in bank["interest"]:
        word = bank["interest"][interests[0]]
        values = {"interest": word, "interest_de": _french_de(word) if locale == "fr" else word}
        parts.append(_fill(rng.choice(bank["wish_interest"]), values))
    return " ".join(parts)


# --- intake answers -----------------------------------------------------------------------


def _intake_answers(person: dict[str, Any], ctx: _Context, rng: random.Random) -> dict[str, Any]:
    """One valid answer per question for this audience; optional ones are sometimes skipped."""
    answers: dict[str, Any] = {}
    for question in ctx.questions:
        if not question.required and rng.random() < 0.2:
            continue
        value = _answer(question, person, ctx, rng)
        if value not in (None, "", []):
            answers[question.key] = value
    return answers


def _answer(
    question: IntakeQuestion, person: dict[str, Any], ctx: _Context, rng: random.Random
) -> Any:
    key = question.key
    keys = [choice.key for choice in question.choices]
    if question.kind == "single_choice":
        if key.endswith("_level") and len(keys) > 2:
            # Language levels: most are in between, few are beginners or native speakers.
            weights = {k: 1 + 2 * min(i, len(keys) - 1 - i) for i, k in enumerate(keys)}
            return _weighted(rng, weights)
        return rng.choice(keys)
    if question.kind == "multiple_choice":
        return sorted(rng.sample(keys, rng.randint(1, min(3, len(keys)))), key=keys.index)
    if question.kind == "yes_no":
        if "child" in key:
            interests = person["interests"] or person["_interests"]
            return "yes" if "children" in interests or rng.random() < 0.45 else "no"
        return "yes" if rng.random() < 0.55 else "no"
    if question.kind == "number":
        return _number_answer(key, person, ctx, rng)
    if question.kind == "date":
        return _date_answer(key, person, ctx, rng).isoformat()
    bank = _phrases(person["preferred_locale"])
    values = _text_values(person, person["preferred_locale"], ctx)
    if question.kind == "long_text":
        if ctx.kind == "mentee":
            text = _wishes(person, person["preferred_locale"], rng)
        else:
            text = " ".join(rng.sample(bank["mentor_why"], 2))
        return text[:LONG_TEXT_MAX]
    if "name" in key:
        text = _sentence(rng, bank["business_name"], values)
    elif any(word in key for word in ("work", "employer", "company")):
        text = _sentence(rng, bank["workplace"], values)
    else:
        text = (person.get("story") or "").split(". ")[0]
    return text[:TEXT_MAX] or None


def _number_answer(key: str, person: dict[str, Any], ctx: _Context, rng: random.Random) -> int:
    if key.startswith("years_in") and person["_arrival"]:
        return max(0, ctx.today.year - person["_arrival"])
    if "experience" in key:
        return person["_experience"]
    if "employee" in key or "staff" in key:
        return _weighted(rng, {0: 35, 1: 20, 2: 15, 3: 10, 4: 6, 5: 5, 8: 4, 12: 3, 20: 2})
    if "year" in key:
        return rng.randint(0, 15)
    return rng.randint(0, 10)


def _date_answer(key: str, person: dict[str, Any], ctx: _Context, rng: random.Random) -> date:
    if "birth" in key:
        return person["_born"]
    if "start" in key and person["_entrepreneur"]:
        stage = person.get("business_stage") or person["_stage"]
        low, high = STAGE_AGE_DAYS[stage]
        return ctx.today - timedelta(days=rng.randint(low, high))
    if any(word in key for word in ("available", "from", "start")):
        return ctx.today + timedelta(days=rng.randint(0, 90))
    return ctx.today - timedelta(days=rng.randint(0, 3 * 365))


# --- the whole person ---------------------------------------------------------------------

# Participant attributes every dict carries, so one executemany can insert them all.
ATTRIBUTES = (
    "kind", "status", "name", "email", "phone", "office", "languages", "preferred_locale",
    "profession", "education_level", "education_field", "interests", "story", "sector",
    "business_stage", "intake_answers", "goals", "wishes", "country_of_origin", "arrival_year",
    "date_of_birth", "helps_with", "capacity", "availability", "paused_until", "created_at",
    "updated_at", "status_changed_at", "ready_since",
)  # fmt: skip


def _person(ctx: _Context, number: int, rng: random.Random) -> dict[str, Any]:
    """One participant; keys starting with "_" are the facts behind her, dropped at the end."""
    collected, mentee, programme = ctx.collected, ctx.kind == "mentee", ctx.programme
    person: dict[str, Any] = {name: None for name in ATTRIBUTES}
    person.update(kind=ctx.kind, interests=[], goals=[], helps_with=[], intake_answers={})
    person.update(_status_and_dates(ctx, rng))

    origin = _origin(ctx, rng)
    woman = not programme.any_gender or rng.random() < 0.5
    born = _birth_date(ctx, rng)
    age = _age(born, ctx.today)
    profession = _profession(ctx, rng)
    education = _education_level(ctx, profession, rng)
    # Entrepreneurs' programmes collect the business stage; Morocco's is one in any case.
    entrepreneur = "business_stage" in collected or ctx.settings.country == "MA"
    stage = _weighted(rng, STAGE_WEIGHTS[ctx.kind])
    languages = _languages(ctx, origin, education, rng)
    locale = _preferred_locale(ctx, languages, origin == ctx.settings.country, rng)
    first, last = _name(origin, woman, rng)
    office = _weighted(rng, ctx.offices)
    interest_weights = {k: w for k, w in INTEREST_WEIGHTS.items() if k in INTERESTS}
    interests = _weighted_sample(rng, interest_weights, rng.randint(1, 4))
    goal_weights = {g: w for g, w in programme.goals.items() if g in GOALS}
    goals = _weighted_sample(rng, goal_weights, _weighted(rng, {1: 35, 2: 45, 3: 20}))
    if entrepreneur and "business" in goals:
        goals.insert(0, goals.pop(goals.index("business")))
    helps = _weighted_sample(rng, ctx.help_keys, _weighted(rng, {2: 30, 3: 35, 4: 22, 5: 13}))
    abroad = origin != ctx.settings.country
    arrival = _arrival_year(born, person["created_at"], rng) if abroad else None
    field_code = _education_field(education, profession, rng)
    person.update(
        _origin=origin,
        _born=born,
        _profession=profession,
        _field=field_code,
        _sector=_sector(ctx, profession, rng),
        _stage=stage,
        _entrepreneur=entrepreneur,
        _goals=goals,
        _interests=interests,
        _helps=helps,
        _arrival=arrival,
        _experience=max(2, min(age - 22, rng.randint(3, 30))),
        _city=ctx.cities.get(office) or "",
        _first_display=_display(first, locale),
        _last_display=_display(last, locale),
    )

    domain = MENTEE_DOMAIN if mentee else MENTOR_DOMAIN
    person.update(
        name=f"{_display(first, locale)} {_display(last, locale)}",
        email=f"{_email_part(first)}.{_email_part(last)}.{number}@{domain}",
        office=office,
        languages=languages,
        preferred_locale=locale,
    )
    if "phone" in collected and ctx.settings.country in ("CA", "US"):
        # 555-0100..0199 is reserved for fiction in North America: nobody answers.
        person["phone"] = f"+1 416 555 01{rng.randint(0, 99):02d}"
    if "profession" in collected:
        person["profession"] = profession
    if "education_level" in collected:
        person["education_level"] = education
    if "education_field" in collected:
        person["education_field"] = field_code
    if "interests" in collected:
        person["interests"] = interests
    if "sector" in collected:
        person["sector"] = person["_sector"]
    if "business_stage" in collected and stage in BUSINESS_STAGES:
        person["business_stage"] = stage
    if mentee:
        if "goals" in collected:
            person["goals"] = goals
        if "country_of_origin" in collected and abroad:
            person["country_of_origin"] = origin
        if "arrival_year" in collected:
            person["arrival_year"] = arrival
        if "date_of_birth" in collected:
            person["date_of_birth"] = born
        if "story" in collected:
            person["story"] = _mentee_story(person, locale, ctx, rng)
        if "wishes" in collected:
            person["wishes"] = _wishes(person, locale, rng)
        person["capacity"] = 1
    else:
        if "helps_with" in collected:
            person["helps_with"] = helps
        person["capacity"] = _weighted(rng, {1: 72, 2: 22, 3: 6}) if "capacity" in collected else 1
        if "availability" in collected:
            person["availability"] = rng.choice(_phrases(locale)["availability"])
        if "story" in collected:
            person["story"] = _mentor_story(person, locale, ctx, rng)
        if person["status"] == "paused":
            person["paused_until"] = ctx.today + timedelta(days=rng.randint(14, 180))
        elif person["status"] in ("ready", "matched") and rng.random() < 0.04:
            person["paused_until"] = ctx.today + timedelta(days=rng.randint(7, 60))
    person["intake_answers"] = _intake_answers(person, ctx, rng)
    return {name: person[name] for name in ATTRIBUTES}


def generate(
    settings: TenantSettings, kind: str, count: int, rng: random.Random, today: date
) -> list[dict[str, Any]]:
    """``count`` synthetic mentees or mentors for a tenant, as Participant attributes.

    Deterministic for a given ``rng`` state and ``today``. Every dict has the same keys
    (``ATTRIBUTES``), with None or empty values for what the tenant does not collect, so
    the caller can bulk-insert them in one statement after adding ``tenant_id``.
    Addresses are ``first.last.<n>@example.org`` (mentees) or ``@example.net`` (mentors),
    with ``n`` counting from 1, so they are unique within a tenant.
    """
    if kind not in ("mentee", "mentor"):
        raise ValueError(f"kind must be mentee or mentor, not {kind!r}")
    ctx = _context(settings, kind, today)
    return [_person(ctx, number, rng) for number in range(1, count + 1)]
