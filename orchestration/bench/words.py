"""Word lists for the synthetic corpus: function words, content words and country names per language.

Sentences are drawn word by word (function words at about the share real prose has, so the
cleaner's prose test sees prose), which keeps any two synthetic articles far apart for MinHash:
templates repeated sentence for sentence would make every page a near-duplicate of every other.
"""

# code: (function words, content words, country names as the language writes them, sentence end)
LANGUAGES: dict[str, dict] = {
    "en": {
        "function": (
            "the of and to in a that for on with as by at from is was has have will said it its their this"
        ).split(),
        "content": (
            "government minister talks security agreement president officials economy trade border military "
            "summit region cooperation sanctions election parliament spokesman negotiations crisis energy market "
            "ministry foreign policy defence visit leaders statement analysts growth investment exports talks "
            "relations conflict peace troops meeting report budget inflation reforms court delegation alliance "
            "announced warned signed agreed discussed rejected expected confirmed urged described planned"
        ).split(),
        "countries": [
            "China",
            "Russia",
            "the United States",
            "Japan",
            "South Korea",
            "North Korea",
            "Ukraine",
            "France",
            "Germany",
            "Vietnam",
            "India",
            "Brazil",
            "Iran",
            "Turkey",
            "Egypt",
            "Mexico",
        ],
        "end": ".",
    },
    "fr": {
        "function": (
            "le la les de des du et à en un une que pour sur dans par avec est a ont qui au aux son ses"
        ).split(),
        "content": (
            "gouvernement ministre accord sécurité président responsables économie commerce frontière armée "
            "sommet région coopération sanctions élection parlement porte-parole négociations crise énergie marché "
            "politique défense visite dirigeants déclaration analystes croissance investissement relations conflit "
            "paix troupes réunion rapport budget inflation réformes délégation alliance annoncé averti signé "
            "discuté rejeté confirmé souligné estimé prévu"
        ).split(),
        "countries": [
            "la Chine",
            "la Russie",
            "les États-Unis",
            "le Japon",
            "la Corée du Sud",
            "la Corée du Nord",
            "l'Ukraine",
            "la France",
            "l'Allemagne",
            "le Vietnam",
            "l'Inde",
            "le Brésil",
            "l'Iran",
        ],
        "end": ".",
    },
    "es": {
        "function": "el la los las de del y a en un una que para por con es ha han se su sus al como".split(),
        "content": (
            "gobierno ministro acuerdo seguridad presidente funcionarios economía comercio frontera ejército "
            "cumbre región cooperación sanciones elecciones parlamento portavoz negociaciones crisis energía mercado "
            "política defensa visita líderes declaración analistas crecimiento inversión relaciones conflicto "
            "paz tropas reunión informe presupuesto inflación reformas delegación alianza anunció advirtió firmó "
            "discutió rechazó confirmó subrayó"
        ).split(),
        "countries": [
            "China",
            "Rusia",
            "Estados Unidos",
            "Japón",
            "Corea del Sur",
            "Corea del Norte",
            "Ucrania",
            "Francia",
            "Alemania",
            "Vietnam",
            "India",
            "Brasil",
            "México",
            "Argentina",
        ],
        "end": ".",
    },
    "de": {
        "function": (
            "der die das und in zu den von mit für auf ist hat im dem des ein eine sich nicht auch wird"
        ).split(),
        "content": (
            "Regierung Minister Abkommen Sicherheit Präsident Vertreter Wirtschaft Handel Grenze Armee Gipfel "
            "Region Zusammenarbeit Sanktionen Wahl Parlament Sprecher Verhandlungen Krise Energie Markt Politik "
            "Verteidigung Besuch Erklärung Analysten Wachstum Investitionen Beziehungen Konflikt Frieden Truppen "
            "Treffen Bericht Haushalt Inflation Reformen Delegation Bündnis kündigte warnte unterzeichnete "
            "diskutierte lehnte bestätigte betonte"
        ).split(),
        "countries": [
            "China",
            "Russland",
            "die USA",
            "Japan",
            "Südkorea",
            "Nordkorea",
            "die Ukraine",
            "Frankreich",
            "Deutschland",
            "Vietnam",
            "Indien",
            "Brasilien",
            "Österreich",
        ],
        "end": ".",
    },
    "ru": {
        "function": "в и на с по что не о к из для за от как это его их также было будет".split(),
        "content": (
            "правительство министр соглашение безопасность президент представители экономика торговля граница "
            "армия саммит регион сотрудничество санкции выборы парламент переговоры кризис энергетика рынок "
            "политика оборона визит лидеры заявление эксперты рост инвестиции отношения конфликт мир войска "
            "встреча доклад бюджет инфляция реформы делегация союз заявил предупредил подписал обсудил отклонил "
            "подтвердил подчеркнул"
        ).split(),
        "countries": [
            "Китай",
            "Россия",
            "США",
            "Япония",
            "Южная Корея",
            "КНДР",
            "Украина",
            "Франция",
            "Германия",
            "Вьетнам",
            "Индия",
            "Бразилия",
            "Иран",
            "Турция",
        ],
        "end": ".",
    },
    "vi": {
        "function": "của và là có các những được với cho trong đã sẽ này một không để về từ theo khi".split(),
        "content": (
            "chính phủ bộ trưởng thỏa thuận an ninh tổng thống quan chức kinh tế thương mại biên giới quân đội "
            "hội nghị khu vực hợp tác trừng phạt bầu cử quốc hội người phát ngôn đàm phán khủng hoảng năng lượng "
            "thị trường chính sách quốc phòng chuyến thăm lãnh đạo tuyên bố chuyên gia tăng trưởng đầu tư quan hệ "
            "xung đột hòa bình cuộc họp báo cáo ngân sách lạm phát cải cách phái đoàn liên minh thông báo cảnh báo "
            "ký kết thảo luận bác bỏ xác nhận nhấn mạnh"
        ).split(),
        "countries": [
            "Trung Quốc",
            "Nga",
            "Mỹ",
            "Nhật Bản",
            "Hàn Quốc",
            "Triều Tiên",
            "Ukraina",
            "Pháp",
            "Đức",
            "Việt Nam",
            "Ấn Độ",
            "Brazil",
            "Iran",
            "Thổ Nhĩ Kỳ",
        ],
        "end": ".",
    },
    "ar": {
        "function": "في من على إلى أن مع عن هذا التي الذي كما قد بين بعد قال وقال".split(),
        "content": (
            "الحكومة الوزير اتفاق الأمن الرئيس المسؤولين الاقتصاد التجارة الحدود الجيش القمة المنطقة التعاون "
            "العقوبات الانتخابات البرلمان المتحدث المفاوضات الأزمة الطاقة السوق السياسة الدفاع زيارة القادة "
            "بيان المحللين النمو الاستثمار العلاقات الصراع السلام القوات الاجتماع التقرير الميزانية التضخم "
            "الإصلاحات الوفد التحالف أعلن حذر وقع ناقش رفض أكد"
        ).split(),
        "countries": [
            "الصين",
            "روسيا",
            "الولايات المتحدة",
            "اليابان",
            "كوريا الجنوبية",
            "كوريا الشمالية",
            "أوكرانيا",
            "فرنسا",
            "ألمانيا",
            "مصر",
            "الهند",
            "إيران",
            "تركيا",
            "السعودية",
        ],
        "end": ".",
    },
    "ko": {
        # Korean attaches particles to words: content words are joined to one of these.
        "function": "은 는 이 가 을 를 에 의 와 과 에서 으로".split(),
        "content": (
            "정부 장관 협정 안보 대통령 관계자 경제 무역 국경 군대 정상회담 지역 협력 제재 선거 의회 대변인 "
            "협상 위기 에너지 시장 정책 국방 방문 지도자 성명 전문가 성장 투자 관계 갈등 평화 병력 회의 보고서 "
            "예산 물가 개혁 대표단 동맹"
        ).split(),
        "verbs": "발표했다 경고했다 서명했다 논의했다 거부했다 확인했다 강조했다 밝혔다".split(),
        "countries": [
            "중국",
            "러시아",
            "미국",
            "일본",
            "한국",
            "북한",
            "우크라이나",
            "프랑스",
            "독일",
            "베트남",
            "인도",
        ],
        "end": ".",
    },
    "zh": {
        "function": list("的了是在和与也就都对将被从为这"),
        "content": (
            "政府 部长 协议 安全 总统 官员 经济 贸易 边境 军队 峰会 地区 合作 制裁 选举 议会 发言人 谈判 危机 "
            "能源 市场 政策 国防 访问 领导人 声明 专家 增长 投资 关系 冲突 和平 会议 报告 预算 通胀 改革 代表团 "
            "同盟 宣布 警告 签署 讨论 拒绝 确认 强调 表示 认为 举行"
        ).split(),
        "countries": [
            "中国",
            "俄罗斯",
            "美国",
            "日本",
            "韩国",
            "朝鲜",
            "乌克兰",
            "法国",
            "德国",
            "越南",
            "印度",
            "巴西",
            "伊朗",
            "土耳其",
        ],
        "end": "。",
    },
    "ja": {
        "function": "は が を に の で と も から へ".split(),
        "content": (
            "政府 大臣 協定 安全保障 大統領 当局者 経済 貿易 国境 軍 首脳会談 地域 協力 制裁 選挙 議会 報道官 交渉 "
            "危機 エネルギー 市場 政策 防衛 訪問 指導者 声明 専門家 成長 投資 関係 紛争 "
            "平和 会議 報告書 予算 改革 代表団 同盟"
        ).split(),
        "verbs": "発表した 警告した 署名した 協議した 拒否した 確認した 強調した 述べた".split(),
        "countries": [
            "中国",
            "ロシア",
            "米国",
            "日本",
            "韓国",
            "北朝鮮",
            "ウクライナ",
            "フランス",
            "ドイツ",
            "ベトナム",
            "インド",
        ],
        "end": "。",
    },
}

# Template labels per language: navigation, widgets, footers, captions and related-list headings.
LABELS: dict[str, dict] = {
    "en": {
        "nav": ["Home", "World", "Politics", "Business", "Sport", "Opinion", "Video"],
        "related": "Related stories",
        "published": "Published",
        "source": "Source",
        "photo": "Photo",
        "subscribe": "Subscribe",
        "news": "News",
        "discuss": "To participate in the discussion",
        "footer": "© 2025 {site}. All rights reserved.",
        "edition": "Sputnik International",
    },
    "fr": {
        "nav": ["Accueil", "Monde", "Politique", "Économie", "Sport", "Opinions", "Vidéo"],
        "related": "À lire aussi",
        "published": "Publié",
        "source": "Source",
        "photo": "Photo",
        "subscribe": "S'abonner",
        "news": "Actualités",
        "discuss": "Pour participer à la discussion",
        "footer": "© 2025 {site}. Tous droits réservés.",
        "edition": "Sputnik Afrique",
    },
    "es": {
        "nav": ["Inicio", "Mundo", "Política", "Economía", "Deportes", "Opinión", "Vídeo"],
        "related": "Noticias relacionadas",
        "published": "Publicado",
        "source": "Fuente",
        "photo": "Foto",
        "subscribe": "Suscribirse",
        "news": "Noticias",
        "discuss": "Para participar en la discusión",
        "footer": "© 2025 {site}. Todos los derechos reservados.",
        "edition": "Sputnik Mundo",
    },
    "de": {
        "nav": ["Startseite", "Welt", "Politik", "Wirtschaft", "Sport", "Meinung", "Video"],
        "related": "Mehr zum Thema",
        "published": "Veröffentlicht",
        "source": "Quelle",
        "photo": "Foto",
        "subscribe": "Abonnieren",
        "news": "Nachrichten",
        "discuss": "Um an der Diskussion teilzunehmen",
        "footer": "© 2025 {site}. Alle Rechte vorbehalten.",
        "edition": "SNA",
    },
    "ru": {
        "nav": ["Главная", "В мире", "Политика", "Экономика", "Спорт", "Мнения", "Видео"],
        "related": "Читайте также",
        "published": "Опубликовано",
        "source": "Источник",
        "photo": "Фото",
        "subscribe": "Подписаться",
        "news": "Новости",
        "discuss": "Чтобы участвовать в дискуссии",
        "footer": "© 2025 {site}. Все права защищены.",
        "edition": "РИА Новости",
    },
    "vi": {
        "nav": ["Trang chủ", "Thế giới", "Chính trị", "Kinh tế", "Thể thao", "Ý kiến", "Video"],
        "related": "Tin liên quan",
        "published": "Đăng",
        "source": "Nguồn",
        "photo": "Ảnh",
        "subscribe": "Đăng ký",
        "news": "Tin thời sự",
        "discuss": "Để tham gia thảo luận",
        "footer": "© 2025 {site}. Bản quyền thuộc về tòa soạn.",
        "edition": "Sputnik Việt Nam",
    },
    "ar": {
        "nav": ["الرئيسية", "العالم", "سياسة", "اقتصاد", "رياضة", "رأي", "فيديو"],
        "related": "أخبار ذات صلة",
        "published": "نشر",
        "source": "المصدر",
        "photo": "صورة",
        "subscribe": "اشترك",
        "news": "أخبار",
        "discuss": "للمشاركة في النقاش",
        "footer": "© 2025 {site}. جميع الحقوق محفوظة.",
        "edition": "سبوتنيك عربي",
    },
    "ko": {
        "nav": ["홈", "국제", "정치", "경제", "스포츠", "오피니언", "영상"],
        "related": "관련 기사",
        "published": "입력",
        "source": "출처",
        "photo": "사진",
        "subscribe": "구독",
        "news": "뉴스",
        "discuss": "댓글",
        "footer": "© 2025 {site}. 무단 전재 및 재배포 금지.",
        "edition": "스푸트니크 코리아",
    },
    "zh": {
        "nav": ["首页", "国际", "政治", "经济", "体育", "评论", "视频"],
        "related": "相关新闻",
        "published": "发布时间",
        "source": "来源",
        "photo": "图片",
        "subscribe": "订阅",
        "news": "新闻",
        "discuss": "参与讨论",
        "footer": "© 2025 {site} 版权所有",
        "edition": "卫星通讯社",
    },
    "ja": {
        "nav": ["ホーム", "国際", "政治", "経済", "スポーツ", "オピニオン", "動画"],
        "related": "関連記事",
        "published": "公開",
        "source": "出典",
        "photo": "写真",
        "subscribe": "購読",
        "news": "ニュース",
        "discuss": "コメント",
        "footer": "© 2025 {site} 無断転載を禁じます",
        "edition": "スプートニク日本",
    },
}

SITES = {
    "en": ["World Daily", "Reuters", "The Global Herald"],
    "fr": ["Le Quotidien", "AFP", "La Tribune"],
    "es": ["El Diario", "EFE", "La Crónica"],
    "de": ["Tagesblatt", "dpa", "Die Rundschau"],
    "ru": ["ТАСС", "Коммерсантъ", "Известия"],
    "vi": ["Báo Tin Tức", "VnExpress", "Thanh Niên"],
    "ar": ["الأهرام", "الجزيرة", "الشرق"],
    "ko": ["연합뉴스", "한겨레", "조선일보"],
    "zh": ["新华社", "中国新闻网", "环球时报"],
    "ja": ["共同通信", "朝日新聞", "読売新聞"],
}

# Syllables for people's names, so that names vary from article to article.
NAME_SYLLABLES = {
    "latin": "an be ka lo mi ra sen to vi dor el ga hu ja ko lu mar nes pe ri sa ta val".split(),
    "ru": "ан бо ва ги до ев жу за ин ко ла ми но пе ро са ти фу".split(),
    "ar": "أح مد سا مي عا دل نو ر كر يم".split(),
    "ko": "김 이 박 최 정 민 수 영 호 준 서 현".split(),
    "zh": "王 李 张 刘 陈 杨 赵 黄 周 吴 伟 芳 娜 敏 静 强 磊 军 洋 勇".split(),
    "ja": "田 中 山 本 佐 藤 鈴 木 高 橋 健 太 美 子".split(),
}
