package io.eqlwatch.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PageBudgetTest {

    private static final long MB = 1024 * 1024;
    private final PageBudget budget = new PageBudget(10_000, 24 * MB);

    @Test
    void theFirstPageAsksForThePageSize() {
        assertEquals(10_000, budget.first());
    }

    @Test
    void pagesWithinTheBudgetKeepThePageSize() {
        // 10,000 Defend events with whole sources weigh about 16 MB.
        assertEquals(10_000, budget.after(10_000, 16 * MB));
        assertEquals(10_000, budget.after(10_000, 24 * MB));
    }

    @Test
    void heavierDocumentsAskForFewerHitsSoThatAPageFitsTheBudget() {
        // 10 KB a hit: 2,457 hits make 24 MB.
        assertEquals(2_457, budget.after(10_000, 10_000 * 10 * 1024L));
        assertEquals(2_457, budget.after(2_457, 2_457 * 10 * 1024L), "steady once it fits");
    }

    @Test
    void lighterDocumentsLaterInTheWindowGrowThePageBackToThePageSize() {
        assertEquals(4_915, budget.after(2_457, 2_457 * 5 * 1024L));
        assertEquals(10_000, budget.after(4_915, 4_915 * 1024L));
    }

    @Test
    void noPageAsksForFewerThanAHundredHitsHoweverHeavyItsDocuments() {
        assertEquals(PageBudget.MIN_HITS, budget.after(100, 500 * MB));
        assertEquals(40, new PageBudget(40, MB).after(40, 400 * MB), "nor more than the page size");
    }

    @Test
    void anEmptyAnswerTellsNothingOfTheDocumentsAndKeepsThePageSize() {
        assertEquals(10_000, budget.after(10_000, 0));
        assertEquals(10_000, budget.after(0, 5 * MB));
    }

    @Test
    void refusesABudgetThatCouldHoldNoHit() {
        assertThrows(IllegalArgumentException.class, () -> new PageBudget(0, MB));
        assertThrows(IllegalArgumentException.class, () -> new PageBudget(100, 0));
    }
}
