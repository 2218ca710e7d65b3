"""The constant weight of a WordPress (Astra-like theme + Yoast + Jetpack + Cookie Notice) page, built once.

Head: block-library and global-styles inline CSS, the emoji loader, theme settings; body: the primary menu with
sub-menus, the footer widgets with the address, the cookie banner, the footer scripts. None of it holds an
`h1`, `.entry-content`, `time.entry-date` or a pager.
"""

from __future__ import annotations

import json
import random
from functools import lru_cache

WP_VERSION = "6.5.3"
_COLORS = ["black", "cyan-bluish-gray", "white", "pale-pink", "vivid-red", "luminous-vivid-orange",
           "luminous-vivid-amber", "light-green-cyan", "vivid-green-cyan", "pale-cyan-blue", "vivid-cyan-blue",
           "vivid-purple", "ast-global-color-0", "ast-global-color-1", "ast-global-color-2", "ast-global-color-3",
           "ast-global-color-4", "ast-global-color-5", "ast-global-color-6", "ast-global-color-7",
           "ast-global-color-8"]
_MENU = {
    "Study": ["Undergraduate", "Postgraduate taught", "Postgraduate research", "Degree apprenticeships",
              "International students", "Open days", "Fees and funding", "Scholarships", "Accommodation",
              "Student support", "Online learning", "Short courses"],
    "Research": ["Research institutes", "Impact", "Research excellence", "Doctoral college", "Research integrity",
                 "Open access", "Funding opportunities", "Public engagement"],
    "Business": ["Work with us", "Consultancy", "Knowledge transfer", "Innovation Centre", "Continuing education",
                 "Recruit our graduates", "Facilities hire"],
    "International": ["Global partnerships", "Study abroad", "Exchange programmes", "Visiting researchers",
                      "Country information", "Visas and immigration"],
    "About": ["Our history", "Leadership", "Strategy 2030", "Governance", "Facts and figures", "Sustainability",
              "Equality and diversity", "Jobs", "Contact us", "Find us"],
    "News": ["All news", "Press releases", "Events", "Expert comment", "Media contacts"],
}
ADDRESS = "Northbridge University, 1 College Road, Northbridge NB1 2AB, United Kingdom"
COOKIE = ("We use cookies to ensure that we give you the best experience on our website. If you continue to use "
          "this site we will assume that you are happy with it.")


def _slug(text: str) -> str:
    return "-".join(text.lower().replace("(", "").replace(")", "").split())


def _global_styles(rng: random.Random) -> str:
    colours = {c: f"#{rng.randrange(16 ** 6):06x}" for c in _COLORS}
    props = [f"--wp--preset--color--{c}: {v};" for c, v in colours.items()]
    props += [f"--wp--preset--gradient--g{i}: linear-gradient({rng.randrange(360)}deg,rgba({rng.randrange(256)},"
              f"{rng.randrange(256)},{rng.randrange(256)},1) 0%,rgb({rng.randrange(256)},{rng.randrange(256)},"
              f"{rng.randrange(256)}) 100%);" for i in range(12)]
    props += [f"--wp--preset--font-size--{n}: {s}px;" for n, s in
              (("small", 13), ("medium", 20), ("large", 36), ("x-large", 42))]
    props += [f"--wp--preset--spacing--{n}: {round(0.44 * 1.5 ** (n / 10 - 2), 2)}rem;" for n in range(20, 90, 10)]
    rules = ["body{" + "".join(props) + "}"]
    for c in _COLORS:
        rules += [f".has-{c}-color{{color: var(--wp--preset--color--{c}) !important;}}",
                  f".has-{c}-background-color{{background-color: var(--wp--preset--color--{c}) !important;}}",
                  f".has-{c}-border-color{{border-color: var(--wp--preset--color--{c}) !important;}}"]
    rules += [f".has-g{i}-gradient-background{{background: var(--wp--preset--gradient--g{i}) !important;}}"
              for i in range(12)]
    rules += [":where(.is-layout-flex){gap: 0.5em;}", ":where(.is-layout-grid){gap: 0.5em;}",
              "body .is-layout-flex{display: flex;}", ".wp-block-pullquote{font-size: 1.5em;line-height: 1.6;}"]
    return "<style id='global-styles-inline-css'>\n" + "\n".join(rules) + "\n</style>"


def _theme_css(rng: random.Random) -> str:
    selectors = ["body", "a", "h1,.entry-content h1", "h2,.entry-content h2", ".site-header", ".main-header-menu",
                 ".ast-container", ".widget-title", ".entry-meta", ".site-footer", ".ast-single-post .entry-title",
                 ".ast-archive-description", ".ast-pagination", ".comment-form", ".sidebar-main", "#cookie-notice"]
    out = []
    for i in range(260):
        sel = rng.choice(selectors) + (f" .ast-el-{i}" if i > len(selectors) else "")
        out.append(f"{sel}{{margin:{rng.randrange(40)}px {rng.randrange(40)}px;padding:{rng.randrange(30)}px;"
                   f"color:#{rng.randrange(16 ** 6):06x};font-size:{rng.randrange(12, 30)}px;line-height:"
                   f"{rng.uniform(1.1, 1.9):.2f};}}")
    media = "@media (max-width:921px){" + "".join(out[:60]) + "}"
    return "<style id='astra-theme-css-inline-css'>\n" + "".join(out) + media + "\n</style>"


def _emoji(base: str) -> str:
    settings = {"baseUrl": "https://s.w.org/images/core/emoji/15.0.3/72x72/", "ext": ".png",
                "svgUrl": "https://s.w.org/images/core/emoji/15.0.3/svg/", "svgExt": ".svg",
                "source": {"concatemoji": f"{base}/wp-includes/js/wp-emoji-release.min.js?ver={WP_VERSION}"}}
    loader = ("!function(i,n){var o,s,e;function c(e){try{var t={supportTests:e,timestamp:(new Date).valueOf()};"
              "sessionStorage.setItem(o,JSON.stringify(t))}catch(e){}}function p(e,t,n){e.clearRect(0,0,e.canvas."
              "width,e.canvas.height),e.fillText(t,0,0);var t=new Uint32Array(e.getImageData(0,0,e.canvas.width,"
              "e.canvas.height).data),r=(e.clearRect(0,0,e.canvas.width,e.canvas.height),e.fillText(n,0,0),new "
              "Uint32Array(e.getImageData(0,0,e.canvas.width,e.canvas.height).data));return t.every(function(e,t)"
              "{return e===r[t]})}function u(e,t,n){switch(t){case\"flag\":return n(e,\"\\ud83c\\udff3\\ufe0f\\u200d"
              "\\u26a7\\ufe0f\",\"\\ud83c\\udff3\\ufe0f\\u200b\\u26a7\\ufe0f\")?!1:!n(e,\"\\ud83c\\uddfa\\ud83c"
              "\\uddf3\",\"\\ud83c\\uddfa\\u200b\\ud83c\\uddf3\");case\"emoji\":return!n(e,\"\\ud83d\\udc26\\u200d"
              "\\u2b1b\",\"\\ud83d\\udc26\\u200b\\u2b1b\")}return!1}(window,document,window._wpemojiSettings);")
    return ("<script>\nwindow._wpemojiSettings = " + json.dumps(settings).replace("/", "\\/") + ";\n"
            "/*! This file is auto-generated */\n" + loader + "\n</script>\n"
            "<style id='wp-emoji-styles-inline-css'>\n\timg.wp-smiley, img.emoji {\n\t\tdisplay: inline !important;"
            "\n\t\tborder: none !important;\n\t\tbox-shadow: none !important;\n\t\theight: 1em !important;\n\t\t"
            "width: 1em !important;\n\t\tmargin: 0 0.07em !important;\n\t\tvertical-align: -0.1em !important;\n\t\t"
            "background: none !important;\n\t\tpadding: 0 !important;\n\t}\n</style>")


def _menu(rng: random.Random) -> str:
    out = ['<ul id="ast-hf-menu-1" class="main-header-menu ast-menu-shadow ast-nav-menu ast-flex '
           'submenu-with-border stack-on-mobile">']
    item = 100
    for top, subs in _MENU.items():
        item += 1
        out.append(f'<li id="menu-item-{item}" class="menu-item menu-item-type-custom menu-item-object-custom '
                   f'menu-item-has-children menu-item-{item}"><a href="/{_slug(top)}/" class="menu-link">{top}'
                   f'<span role="application" class="dropdown-menu-toggle ast-header-navigation-arrow" tabindex="0" '
                   f'aria-expanded="false" aria-label="Menu Toggle"></span></a><button class="ast-menu-toggle" '
                   f'aria-expanded="false"><span class="screen-reader-text">Menu Toggle</span></button>'
                   f'<ul class="sub-menu">')
        for sub in subs:
            item += 1
            out.append(f'<li id="menu-item-{item}" class="menu-item menu-item-type-post_type menu-item-object-page '
                       f'menu-item-{item}"><a href="/{_slug(top)}/{_slug(sub)}/" class="menu-link">'
                       f'<span class="ast-icon icon-arrow"></span>{sub}</a></li>')
        out.append("</ul></li>")
    out.append("</ul>")
    return "".join(out)


def _footer(rng: random.Random) -> str:
    cols = []
    for title, links in (("Study", _MENU["Study"][:8]), ("Research", _MENU["Research"]),
                         ("About", _MENU["About"])):
        items = "".join(f'<li class="menu-item"><a href="/{_slug(title)}/{_slug(x)}/">{x}</a></li>' for x in links)
        cols.append(f'<aside class="footer-widget-area widget-area site-footer-focus-item" data-section='
                    f'"sidebar-widgets-footer-widget-{len(cols) + 1}"><section id="nav_menu-{len(cols) + 3}" '
                    f'class="widget widget_nav_menu"><h2 class="widget-title">{title}</h2><nav class="menu-'
                    f'{_slug(title)}-container" aria-label="{title}"><ul class="menu">{items}</ul></nav></section>'
                    f"</aside>")
    social = "".join(f'<a href="https://www.{s}.com/northbridgeuni" aria-label="{s.title()}" target="_blank" '
                     f'rel="noopener noreferrer" class="ast-builder-social-element ast-{s}-social-item">'
                     f'<span class="ahfb-svg-iconset ast-inline-flex svg-baseline"><svg xmlns="http://www.w3.org/'
                     f'2000/svg" viewBox="0 0 448 512"><path d="M{rng.randrange(400)} {rng.randrange(400)}z"></path>'
                     f"</svg></span></a>" for s in ("facebook", "instagram", "linkedin", "youtube", "x"))
    return (f'<footer class="site-footer" id="colophon" itemtype="https://schema.org/WPFooter" itemscope="itemscope" '
            f'itemid="#colophon"><div class="site-primary-footer-wrap ast-builder-grid-row-container site-footer-focus'
            f'-item ast-builder-grid-row-4-equal ast-builder-grid-row-tablet-2-equal"><div class="ast-builder-grid-row'
            f'-container-inner"><div class="ast-builder-footer-grid-columns site-primary-footer-inner-wrap">'
            f'{"".join(cols)}<aside class="footer-widget-area widget-area"><section id="text-2" class="widget '
            f'widget_text"><h2 class="widget-title">Find us</h2><div class="textwidget"><p>{ADDRESS}</p>'
            f'<p>Switchboard: +44 (0)191 000 0000</p></div></section></aside></div></div></div>'
            f'<div class="site-below-footer-wrap"><div class="ast-builder-layout-element ast-flex site-footer-focus-'
            f'item ast-footer-copyright"><div class="ast-footer-copyright"><p>Copyright &copy; 2024 Northbridge '
            f'University | Registered charity number 1140821</p></div></div><div class="ast-footer-social-1-wrap">'
            f"{social}</div></div></footer>")


def _cookie() -> str:
    return (f'<div id="cookie-notice" role="dialog" class="cookie-notice-hidden cookie-revoke-hidden cn-position-'
            f'bottom" aria-label="Cookie Notice" style="background-color: rgba(50,50,58,1);"><div class="cookie-'
            f'notice-container" style="color: #fff"><span id="cn-notice-text" class="cn-text-container">{COOKIE}'
            f'</span><span id="cn-notice-buttons" class="cn-buttons-container"><a href="#" id="cn-accept-cookie" '
            f'data-cookie-set="accept" class="cn-set-cookie cn-button" aria-label="Ok" style="background-color: '
            f'#00a99d">Ok</a><a href="/privacy-policy/" target="_blank" id="cn-more-info" class="cn-more-info '
            f'cn-button" aria-label="Privacy policy" style="background-color: #00a99d">Privacy policy</a></span>'
            f'<span id="cn-close-notice" data-cookie-set="accept" class="cn-close-icon" title="No"></span></div>'
            f"</div>")


def _footer_scripts(base: str, rng: random.Random) -> str:
    astra = {"break_point": "921", "isRtl": "", "is_scroll_to_id": "", "is_scroll_to_top": "1",
             "is_header_footer_builder_active": "1", "responsive_cart_click": "flyout"}
    cn = {"ajaxUrl": f"{base}/wp-admin/admin-ajax.php", "nonce": f"{rng.getrandbits(40):010x}", "hideEffect": "fade",
          "position": "bottom", "onScroll": False, "onScrollOffset": "100", "onClick": False, "cookieName":
          "cookie_notice_accepted", "cookieTime": "2592000", "cookieTimeRejected": "2592000", "globalCookie": False,
          "redirection": False, "cache": True, "revokeCookies": False, "revokeCookiesOpt": "automatic"}
    scripts = [f'<script id="astra-theme-js-js-extra">\nvar astra = {json.dumps(astra)};\n</script>',
               f'<script src="{base}/wp-content/themes/astra/assets/js/minified/frontend.min.js?ver=4.6.14" '
               f'id="astra-theme-js-js"></script>',
               f'<script id="cookie-notice-front-js-before">\nvar cnArgs = {json.dumps(cn)};\n</script>',
               f'<script src="{base}/wp-content/plugins/cookie-notice/js/front.min.js?ver=2.4.16" '
               f'id="cookie-notice-front-js"></script>',
               f'<script src="{base}/wp-content/plugins/jetpack/_inc/build/sharedaddy/sharing.min.js?ver=13.4" '
               f'id="sharing-js-js" defer data-wp-strategy="defer"></script>',
               "<script>/(trident|msie)/i.test(navigator.userAgent)&&document.getElementById&&window.addEventListener"
               "&&window.addEventListener(\"hashchange\",function(){var t,e=location.hash.substring(1);/^[A-z0-9_-]+$/"
               ".test(e)&&(t=document.getElementById(e))&&(/^(?:a|select|input|button|textarea)$/i.test(t.tagName)||"
               "(t.tabIndex=-1),t.focus())},!1);</script>"]
    return "\n".join(scripts)


@lru_cache(maxsize=8)
def parts(base: str) -> dict[str, str]:
    """The constant pieces of every page of the site served at `base` (built once per base URL)."""
    rng = random.Random("northbridge-wp")
    styles = "\n".join(
        f"<link rel='stylesheet' id='{name}-css' href='{base}{path}?ver={ver}' media='all' />" for name, path, ver in (
            ("astra-theme-css", "/wp-content/themes/astra/assets/css/minified/main.min.css", "4.6.14"),
            ("wp-block-library", "/wp-includes/css/dist/block-library/style.min.css", WP_VERSION),
            ("cookie-notice-front", "/wp-content/plugins/cookie-notice/css/front.min.css", "2.4.16"),
            ("social-logos", "/wp-content/plugins/jetpack/_inc/social-logos/social-logos.min.css", "13.4"),
            ("jetpack_css", "/wp-content/plugins/jetpack/css/jetpack.css", "13.4")))
    return {"head": "\n".join([_emoji(base), styles, _global_styles(rng), _theme_css(rng)]),
            "menu": _menu(rng), "footer": _footer(rng), "cookie": _cookie(),
            "scripts": _footer_scripts(base, rng)}
