document.title = 'Take three doses';
