pub struct Stack<T> {
    _marker: std::marker::PhantomData<T>,
}

impl<T> Stack<T> {
    pub fn new() -> Self {
        Stack { _marker: std::marker::PhantomData }
    }
    pub fn push(&mut self, _item: T) {}
    pub fn pop(&mut self) -> Option<T> {
        todo!()
    }
    pub fn peek(&self) -> Option<&T> {
        todo!()
    }
    pub fn top(&self) -> &T {
        todo!()
    }
    pub fn len(&self) -> usize {
        todo!()
    }
    pub fn is_empty(&self) -> bool {
        todo!()
    }
}

impl<T> FromIterator<T> for Stack<T> {
    fn from_iter<I: IntoIterator<Item = T>>(_iter: I) -> Self {
        todo!()
    }
}
