package io.streamtune.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LiteralsTest {

    @Test
    void shouldParsePythonDictsOfClassNames() {
        assertThat(Literals.indexedNames("{1: 'car', 0: \"per\\'son\", 2: 'traffic light',}"))
                .containsExactly("per'son", "car", "traffic light");
    }

    @Test
    void shouldRefuseGapsInClassIds() {
        assertThatThrownBy(() -> Literals.indexedNames("{0: 'a', 2: 'c'}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldParseJsonStringArraysWithEscapes() {
        assertThat(Literals.stringList("[\"a\\\"b\", \"\\u00e9t\\u00e9\", \"c\"]"))
                .containsExactly("a\"b", "été", "c");
        assertThat(Literals.stringList("[]")).isEmpty();
    }

    @Test
    void shouldParseImageSizesAsListsOrSingleValues() {
        assertThat(Literals.intList("[640, 480]")).containsExactly(640, 480);
        assertThat(Literals.intList("320")).containsExactly(320);
        assertThatThrownBy(() -> Literals.intList("[640, 480"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
