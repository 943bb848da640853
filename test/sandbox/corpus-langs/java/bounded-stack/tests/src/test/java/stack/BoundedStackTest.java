package stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BoundedStackTest {
    private BoundedStack<String> stack;

    @BeforeEach
    void setUp() {
        stack = new BoundedStack<>(2);
    }

    @Test
    void startsEmpty() {
        assertThat(stack.isEmpty()).isTrue();
        assertThat(stack.size()).isZero();
    }

    @Test
    void popOnEmptyIsRefused() {
        assertThatThrownBy(stack::pop).isInstanceOf(NoSuchElementException.class);
    }

    @Nested
    class WhenPushed {
        @BeforeEach
        void push() {
            stack.push("a");
        }

        @Test
        void isNotEmpty() {
            assertThat(stack.isEmpty()).isFalse();
        }

        @Test
        void popReturnsTheLastItem() {
            stack.push("b");
            assertThat(stack.pop()).isEqualTo("b");
            assertThat(stack.pop()).isEqualTo("a");
        }

        @Test
        void peekDoesNotRemove() {
            assertThat(stack.peek()).isEqualTo("a");
            assertThat(stack.size()).isEqualTo(1);
        }
    }

    @Nested
    class WhenFull {
        @BeforeEach
        void fill() {
            stack.push("a");
            stack.push("b");
        }

        @Test
        void pushIsRefused() {
            assertThatThrownBy(() -> stack.push("c")).isInstanceOf(IllegalStateException.class).hasMessageContaining("full");
        }
    }
}
