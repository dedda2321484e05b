"""Live-in placements (月嫂, 育儿嫂, 住家保姆) on a three-party contract (issue 20)."""
