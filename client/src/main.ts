console.log('tandem');
